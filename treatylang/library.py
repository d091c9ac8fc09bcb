"""The library of treaties shipped with the package: which there are, and one found by its id.

The library is the Charter (`treatylang.specs`, see `treatylang.bundled_charter_path`) and every
`examples/treaties/*.treaty` (package `treatylang.treaties`, mapped to that folder in pyproject.toml).
In a source checkout (also an editable install) the repository's own files are read; installed, the
package data. Ids and titles come from each treaty's own header: the files are parsed (through the
user cache, as `treaty eval` does), never guessed from their names.

    for entry in treatylang.library.entries():      # sorted by id
        print(entry.id, entry.title, entry.file)
    entry = treatylang.library.find("north_atlantic")  # UsageError with a did-you-mean when unknown
    treaty = entry.load()
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import treatylang
from treatylang.source.diagnostics import UsageError, did_you_mean

_CHECKOUT = Path(__file__).resolve().parent.parent / "examples" / "treaties"


def _folder_files() -> list[str]:
    """The library folder's treaty files, by name: the checkout's `examples/treaties`, else the package data
    (a folder without `__init__.py`: its resources are listed with `iterdir`, not read as one path)."""
    if _CHECKOUT.is_dir():
        found = _CHECKOUT.glob("*.treaty")
    else:
        from importlib import resources

        found = (p for p in resources.files("treatylang.treaties").iterdir() if p.name.endswith(".treaty"))
    return [str(p) for p in sorted(found, key=lambda p: p.name)]


def treaty_files() -> list[str]:
    """Every treaty file of the library (the Charter first, then the folder's files by name)."""
    return [treatylang.bundled_charter_path(), *_folder_files()]


class Entry(NamedTuple):
    """One treaty of the library: its id and title (from its header) and its file."""

    id: str
    title: str
    file: str

    def load(self):
        """The compiled treaty (parsed once per process and file: see `entries`)."""
        return _load(self.file)


_TREATIES = None  # the library's files, each loaded once per process (treatylang.treaty_cache)


def _load(path: str):
    global _TREATIES
    if _TREATIES is None:
        _TREATIES = treatylang.treaty_cache()
    return _TREATIES.get(path)


def entries() -> list[Entry]:
    """The treaties of the library, sorted by id. A library file that fails to load raises its TreatyError."""
    found = []
    for path in treaty_files():
        treaty = _load(path)
        found.append(Entry(treaty.id, treaty.title, path))
    return sorted(found, key=lambda e: (e.id, e.file))


def find(name: str) -> Entry:
    """The library's treaty with id `name` (any case); a UsageError naming the ids, with a did-you-mean."""
    known = entries()
    for entry in known:
        if entry.id.casefold() == name.strip().casefold():
            return entry
    ids = [e.id for e in known]
    hint = did_you_mean(name, ids)
    raise UsageError(f"no treaty '{name}' in the library{'; ' + hint if hint else ''} "
                     f"(the library has {', '.join(ids)})")
