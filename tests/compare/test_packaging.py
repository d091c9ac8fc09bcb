"""The library ships with the package: every `examples/treaties/*.treaty` is package data of
`treatylang.treaties`, and `treatylang.library` finds them where an installed package has them.

Nothing is installed: setuptools' own `build_py` (the step that fills a wheel) runs on a copy of the
packaging inputs in a temporary folder, in well under a second, and the test reads what it built. Where
setuptools is not importable (a bare venv of Python 3.12+), the pyproject mapping is checked instead.
Either way the test fails if a library treaty would be missing from the wheel.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted(p.name for p in (ROOT / "examples" / "treaties").glob("*.treaty"))


def _toml(path: Path) -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10: pip's own copy of the same parser
        from pip._vendor import tomli as tomllib
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_the_library_is_not_empty():
    assert len(LIBRARY) >= 7, LIBRARY


def test_pyproject_maps_the_library_folder_with_its_treaties():
    tool = _toml(ROOT / "pyproject.toml")["tool"]["setuptools"]
    assert "treatylang.treaties" in tool["packages"]
    assert tool["package-dir"]["treatylang.treaties"] == "examples/treaties"
    patterns = tool["package-data"]["treatylang.treaties"]
    missing = [name for name in LIBRARY if not any(fnmatch.fnmatch(name, p) for p in patterns)]
    assert not missing, f"not package data: {missing}"


def _build(tmp_path: Path) -> Path:
    """What a wheel would hold: `setup.py build_py` on a copy of the packaging inputs."""
    src = tmp_path / "src"
    (src / "examples").mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("treatylang", "specs"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "examples" / "treaties", src / "examples" / "treaties")
    lib = tmp_path / "lib"
    done = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
                           "--build-lib", str(lib)], cwd=src, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return lib


def test_the_built_package_holds_every_library_treaty_and_finds_them(tmp_path):
    if importlib.util.find_spec("setuptools") is None:
        test_pyproject_maps_the_library_folder_with_its_treaties()  # the same promise, read from the mapping
        return
    lib = _build(tmp_path)
    shipped = sorted(p.name for p in (lib / "treatylang" / "treaties").glob("*.treaty"))
    assert shipped == LIBRARY
    assert (lib / "treatylang" / "specs" / "aes_charter.treaty").is_file()
    assert (lib / "treatylang" / "library.py").is_file() and (lib / "treatylang" / "compare" / "compare.py").is_file()
    # the built package, run from elsewhere (no checkout next to it), lists the library from its own data
    code = ("import json, treatylang, treatylang.library as L; "
            "print(json.dumps([treatylang.__file__, [[e.id, e.file] for e in L.entries()]]))")
    env = {**os.environ, "PYTHONPATH": str(lib)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    where, entries = json.loads(done.stdout)
    assert Path(where).resolve().is_relative_to(lib.resolve())
    files = [Path(f) for _, f in entries]
    assert all(f.resolve().is_relative_to(lib.resolve()) for f in files), files
    assert sorted(f.name for f in files) == sorted([*LIBRARY, "aes_charter.treaty"])
    assert "north_atlantic" in [i for i, _ in entries]
