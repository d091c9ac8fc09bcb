"""pytest runs the casebook: `pytest examples/` collects each scenario with an `expect` block as a test item.

Registered through the `pytest11` entry point, so it is active wherever treatylang is installed. It collects
a YAML file only when asked:
- the file, or a folder above it, is named on pytest's command line (`pytest examples/`, `pytest case.yaml`);
  folders pytest visits on its own (`testpaths`, the root folder) do not count; or
- its name matches a pattern of the `casebook_files` ini option (none by default).
YAML that is not a scenario with an `expect` block is left alone. Select cases with `-k` (the file name and
the scenario's title). `-p no:treatylang` turns the plugin off.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

import attrs
import pytest

from treatylang.casebook.runner import read_case, run_case, treaty_cache
from treatylang.scenario.load import TreatyCache
from treatylang.source.diagnostics import TreatyError
from treatylang.source.safe_text import escape

_TREATIES = pytest.StashKey[TreatyCache]()


def pytest_addoption(parser) -> None:
    parser.addini("casebook_files", type="args", default=[],
                  help="treatylang: glob patterns of scenario files to collect as casebook cases wherever pytest "
                       "looks (YAML under a path named on the command line is collected anyway)")


def _named_paths(config) -> list[Path]:
    """Existing paths named on the command line itself (not `testpaths`), `::` selectors removed."""
    base = Path(config.invocation_params.dir)
    out = []
    for arg in config.invocation_params.args:
        arg = str(arg)
        if arg.startswith("-"):
            continue
        p = (base / arg.split("::")[0]).resolve()
        if p.exists():
            out.append(p)
    return out


def _wanted(config, file_path: Path) -> bool:
    patterns = config.getini("casebook_files")
    if any(fnmatch.fnmatch(file_path.name, pat) for pat in patterns):
        return True
    resolved = file_path.resolve()
    return any(resolved == p or p in resolved.parents for p in _named_paths(config))


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix not in (".yaml", ".yml") or not _wanted(parent.config, file_path):
        return None
    case, error = None, None
    try:
        case = read_case(str(file_path))
        if case is None:
            return None  # not a scenario with expectations
    except TreatyError as e:
        error = e  # a bad file that seems to be a case: collect it so that its errors are reported
    collected = CasebookFile.from_parent(parent, path=file_path)
    collected.case, collected.error = case, error  # the file is read once, here
    return collected


class CasebookFile(pytest.File):
    case = None  # the Document read_case gave
    error = None  # or why the file could not be read

    def collect(self):
        path = self._display_path()
        if self.case is None:
            yield CasebookItem.from_parent(self, name=self.path.stem, case=None, error=self.error, display=path)
            return
        title = self.case.top("title")
        title = title.value if title is not None and isinstance(title.value, str) else self.path.stem
        case = attrs.evolve(self.case, file=path)  # messages name the file as the command line did
        yield CasebookItem.from_parent(self, name=title, case=case, error=None, display=path)

    def _display_path(self) -> str:
        try:
            return os.path.relpath(self.path, self.config.invocation_params.dir)
        except ValueError:
            return str(self.path)


class CasebookFailure(Exception):
    """Expectations the result does not meet."""


class CasebookItem(pytest.Item):
    def __init__(self, *, case, error, display, **kw):
        super().__init__(**kw)
        self.case = case
        self.error = error
        self.display = display

    def runtest(self) -> None:
        if self.error is not None:
            raise self.error
        stash = self.config.stash
        if _TREATIES not in stash:
            stash[_TREATIES] = treaty_cache()
        _, failures = run_case(self.case, stash[_TREATIES])
        if failures:
            raise CasebookFailure("\n".join(f.format() for f in failures))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CasebookFailure):
            return f"FAIL {escape(self.display)}: {escape(self.name)}\n{excinfo.value}"
        if isinstance(excinfo.value, TreatyError):
            return f"bad input in {escape(self.display)}:\n" + "\n".join(d.format() for d in excinfo.value.diagnostics)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"casebook: {escape(self.name)}"
