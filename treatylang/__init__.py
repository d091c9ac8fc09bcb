"""treatylang: treaties as rules; scenarios in, obligations, permissions, prohibitions and breaches out.

The public API, which the `treaty` command itself uses:

    treaty = treatylang.load_treaty("specs/aes_charter.treaty")
    scenario = treatylang.load_scenario("examples/niger_ecowas.yaml", treaty)
    result = treatylang.evaluate(treaty, scenario)
    result.to_json()
    treatylang.select(result, bearers=["astoria"], articles=["1"])  # a view: those conclusions only
"""

from __future__ import annotations

import os

from treatylang.ir.lower import lower
from treatylang.ir.treaty import CompiledTreaty
from treatylang.source.diagnostics import Diagnostic, TreatyError
from treatylang.engine.evaluate import evaluate
from treatylang.selection import select
from treatylang.model import Breach, Effect, Norm, Result
from treatylang.infra.gc_pause import paused_gc
from treatylang.scenario.load import Scenario, TreatyCache, bind, read_scenario, scenario_from_dict
from treatylang.source import files

__all__ = [
    "Breach", "CompiledTreaty", "Diagnostic", "Effect", "Norm", "Result", "Scenario", "TreatyError",
    "bundled_charter_path", "evaluate", "load_scenario", "load_treaty", "parse_treaty", "scenario_from_dict",
    "select", "treaty_cache",
]
__version__ = "0.1.0"



def parse_treaty(text: str, filename: str = "<string>", *, strict: bool = False, use_cache: bool = False) -> CompiledTreaty:
    """Parse, check and compile a treaty's text. Raises TreatyError on errors (and warnings if strict).

    With `use_cache`, a treaty already parsed and checked (same file name and text, same treatylang version
    and code) is read back from the user cache instead: data only, checked on reading; any fault there is a
    miss (see treatylang.infra.cache and treatylang.lang.tree_json).
    """
    entry = _cache_entry(filename, text) if use_cache else None
    cached = _cached_tree(entry, filename, text) if entry else None
    if cached is not None:
        tree, diagnostics = cached
    else:
        from treatylang.lang.checks import check
        from treatylang.lang.parser import parse_treaty_source

        tree = parse_treaty_source(text, filename)
        with paused_gc():
            diagnostics = check(tree)
        if entry and not any(d.severity == "error" for d in diagnostics):
            _store_tree(entry, filename, text, tree, diagnostics)
    if strict:  # the model's status: asked only of a treaty meant to be published (checks.strict_warnings)
        from treatylang.lang.checks import ordered, strict_warnings

        diagnostics = ordered([*diagnostics, *strict_warnings(tree)])
    errors = [d for d in diagnostics if d.severity == "error" or strict]
    if errors:
        raise TreatyError(files.capped(diagnostics))  # the first files.MAX_ERRORS of the file, then a count
    with paused_gc():
        return lower(tree, [d for d in diagnostics if d.severity == "warning"])


def _cache_entry(filename: str, text: str, kind: str = "treaty"):
    """(the cache module, the tree codec, this file's entry name), or None when the cache is off. `kind`:
    "treaty", or "vocabulary" for a shared vocabulary's file (treatylang.lang.vocabulary)."""
    try:
        from treatylang.infra import cache  # on use: a run without the cache imports neither module

        if not cache.enabled():
            return None
        from treatylang.lang import tree_json

        name = cache.entry_name(kind, filename, text, version=__version__, code=tree_json.code_files())
        return (cache, tree_json, name) if name else None
    except Exception:  # noqa: BLE001 -- the cache never fails a run: no cache then
        return None


def _cached_tree(entry, filename: str, text: str):
    """(tree, diagnostics) from the cache, or None (missing, refused, damaged, of another shape: parse)."""
    cache, tree_json, name = entry
    try:
        data = cache.read(name)
        if data is None:
            return None
        with paused_gc():
            tree, diagnostics = tree_json.loads(data, filename, text)
    except Exception:  # noqa: BLE001 -- a bad entry (tree_json.BadEntry) or any other fault: a miss
        return None
    if any(d.severity != "warning" for d in diagnostics):  # only checked, error-free trees are stored
        return None
    return tree, diagnostics


def _store_tree(entry, filename: str, text: str, tree, diagnostics) -> None:
    cache, tree_json, name = entry
    try:
        cache.write(name, tree_json.dumps(filename, text, tree, diagnostics))
    except Exception:  # noqa: BLE001 -- a tree the codec cannot write (tree_json.BadEntry), or any fault
        pass


def load_treaty(path, *, strict: bool = False) -> CompiledTreaty:
    """Read a .treaty file, parse, check and compile it (once; evaluate it as often as you like)."""
    path = str(path)
    return parse_treaty(files.read_text(path), path, strict=strict, use_cache=True)


def bundled_charter_path() -> str:
    """The Liptako-Gourma Charter shipped with the package: the default treaty of a scenario.

    Installed, it is package data (`specs/` is mapped to `treatylang.specs`); in a source checkout
    it is the repository's own `specs/aes_charter.treaty`. Found with os.path (pathlib and
    importlib.resources would cost each start their import), through importlib.resources only where
    the package is not in files (a zip).
    """
    here = os.path.dirname(os.path.realpath(__file__))
    for folder in (os.path.join(os.path.dirname(here), "specs"), os.path.join(here, "specs")):
        candidate = os.path.join(folder, "aes_charter.treaty")
        if os.path.isfile(candidate):
            return candidate
    from importlib import resources

    return str(resources.files("treatylang.specs").joinpath("aes_charter.treaty"))


def load_scenario(path, treaty: CompiledTreaty | None = None, *, treaties: TreatyCache | None = None) -> Scenario:
    """Read and validate a YAML scenario against `treaty` (default: its `treaty:` key, else the Charter).

    The file is read once, and the Scenario is bound to the treaty it was validated against
    (`scenario.treaty`): evaluate it with that. `treaties` loads each treaty file once across scenarios
    (see `treaty_cache`).
    """
    document = read_scenario(path)
    default = None
    if treaty is None:
        treaties = treaties or treaty_cache()
        treaty, default = treaties.for_document(document), treaties.default_used(document)
    return bind(document, treaty, default)


def treaty_cache(override=None) -> TreatyCache:
    """Treaty files loaded once each, for many scenarios: `load_scenario(path, treaties=cache)`.

    `override` (a treaty file) is used for every scenario instead of its own, as `--treaty` does.
    """
    return TreatyCache(load_treaty, bundled_charter_path, None if override is None else str(override),
                       parse=lambda text, path: parse_treaty(text, path, use_cache=True))
