"""The treaty cache against the hostile-inputs report's cases B01-B14 (docs: treatylang/infra/cache.py).

Every test compares what a load gives with a cache-off load (TREATYLANG_NO_CACHE=1) of the same file: the
checked tree with its spans, the warnings, and for the Charter a scenario's full JSON result. A fault in
the cache may cost speed, never a result, a crash or a hang.
"""

from __future__ import annotations

import ast
import errno
import hashlib
import json
import os
import pickle
import shutil
import contextlib
import stat
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import treatylang
from treatylang.infra import cache
from treatylang.lang import parser, tree_json

from conftest import CHARTER, ECOWAS_SCENARIO

ROOT = Path(__file__).resolve().parents[2]
PACT = ROOT / "examples" / "pacts" / "northwind_pact.treaty"
POSIX = cache._SUPPORTED
pytestmark = pytest.mark.skipif(not POSIX, reason="the cache needs O_NOFOLLOW and dir_fd (POSIX)")


# ---- helpers ----------------------------------------------------------------------------------------
class Planted:
    """Unpickling this creates `marker`: proof that a planted pickle ran."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path(self.marker).touch, ())


class FakeOs:
    """The os module as the cache module sees it, with some functions replaced (the rest of the process keeps
    the real ones)."""

    def __init__(self, **replaced):
        self.__dict__.update(replaced)

    def __getattr__(self, name):
        return getattr(os, name)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private XDG_CACHE_HOME (and HOME) for one test, the cache on, no debug output; its cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TREATYLANG_NO_CACHE", raising=False)
    monkeypatch.delenv("TREATYLANG_DEBUG", raising=False)
    return tmp_path / "xdg" / "treatylang"


def summary(treaty: treatylang.CompiledTreaty, path) -> tuple:
    """What a load gives: the tree with its spans, the warnings, and (the Charter) a scenario's result."""
    tree = tree_json.dumps(str(path), "", treaty.syntax, treaty.warnings)
    warnings = [d.format() for d in treaty.warnings]
    result = None
    if treaty.id == "aes":
        import yaml

        scenario = treatylang.scenario_from_dict(yaml.safe_load(ECOWAS_SCENARIO), treaty)
        result = json.dumps(treatylang.evaluate(treaty, scenario).to_json(), sort_keys=True)
    return tree, warnings, result


def cache_off(path, monkeypatch) -> tuple:
    with monkeypatch.context() as mp:
        mp.setenv("TREATYLANG_NO_CACHE", "1")
        return summary(treatylang.load_treaty(path), path)


def load(path) -> tuple:
    return summary(treatylang.load_treaty(path), path)


def entry(path) -> str:
    """The entry name the cache uses for this file as it is now."""
    text = treatylang.files.read_text(str(path))
    return cache.entry_name("treaty", str(path), text, version=treatylang.__version__, code=tree_json.code_files())


def forge(folder: Path, name: str, body: bytes) -> None:
    """An entry with a correct header (magic, name, digest) around `body`, as the cache itself writes."""
    (folder / name).write_bytes(cache._header(name, body) + body)


@pytest.fixture
def parses(monkeypatch):
    """The number of times the parser ran (a cache miss parses, a hit does not)."""
    calls = []
    real = parser.parse_treaty_source

    def counting(*args, **kwargs):
        calls.append(args[1] if len(args) > 1 else kwargs.get("filename"))
        return real(*args, **kwargs)

    monkeypatch.setattr(parser, "parse_treaty_source", counting)
    return calls


def copy_charter(tmp_path) -> Path:
    path = tmp_path / "charter.treaty"
    shutil.copyfile(CHARTER, path)
    return path


def fill(home: Path, path) -> Path:
    """Load once (a miss: the entry is written); the entry's path."""
    treatylang.load_treaty(path)
    written = home / entry(path)
    assert written.is_file() and written.read_bytes().startswith(cache.MAGIC)
    return written


# ---- the ordinary path ------------------------------------------------------------------------------
def test_a_second_load_reads_the_entry_and_gives_what_a_cache_off_load_gives(home, tmp_path, monkeypatch, parses):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    treaty_parses = lambda: [p for p in parses if p == str(path)]  # noqa: E731 (not the vocabulary it uses)
    assert load(path) == expected and len(treaty_parses()) == 2  # cache off, then a miss
    assert load(path) == expected and len(treaty_parses()) == 2  # a hit: no parse
    assert [p.name for p in home.iterdir() if p.name.startswith("treaty-")] == [entry(path)]


def test_the_folder_is_made_0700_and_entries_0600_and_start_with_the_magic(home, tmp_path):
    written = fill(home, copy_charter(tmp_path))
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    head = written.read_bytes().split(b"\n", 1)[0]
    assert head == cache.MAGIC + written.name.encode() + b" " + hashlib.sha256(
        written.read_bytes().split(b"\n", 1)[1]).hexdigest().encode()


def test_entries_are_data_only_json_and_the_cache_code_imports_no_deserialiser_of_code():
    for module in (cache, tree_json):
        source = Path(module.__file__).read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not {"pickle", "marshal", "shelve", "dill", "cloudpickle"} & set(names), names
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec", "compile", "__import__"), node.func.id


def test_tree_json_round_trips_every_treaty_of_the_repository():
    for path in sorted(ROOT.glob("**/*.treaty")):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            treaty = treatylang.parse_treaty(text, str(path))
        except treatylang.TreatyError:
            continue
        data = tree_json.dumps(str(path), text, treaty.syntax, treaty.warnings)
        tree, diagnostics = tree_json.loads(data, str(path), text)
        assert tree == treaty.syntax and repr(tree) == repr(treaty.syntax)
        assert tree_json.dumps(str(path), text, tree, diagnostics) == data  # spans too



def test_the_codec_reads_each_field_s_type_as_typing_would():
    import typing

    for cls, fields in tree_json._plan().items():
        hints = typing.get_type_hints(cls)
        assert [(name, tp) for name, tp, _ in fields] == [(f.name, hints[f.name]) for f in attrs.fields(cls)], cls

# ---- B01, B02: planted code -------------------------------------------------------------------------
def test_B01_a_planted_pickle_at_the_entry_name_is_never_unpickled(home, tmp_path, monkeypatch, parses):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    marker = tmp_path / "planted-code-ran"
    home.mkdir(parents=True, mode=0o700)
    planted = pickle.dumps(Planted(str(marker)))
    name = entry(path)
    (home / name).write_bytes(planted)
    for other in (name.replace(".json", ".pickle"), "grammar-0.lark", "treaty-0.pickle"):  # the old names (B02)
        (home / other).write_bytes(planted)

    def no_pickle(*args, **kwargs):
        raise AssertionError("a pickle was read")

    monkeypatch.setattr(pickle, "load", no_pickle)
    monkeypatch.setattr(pickle, "loads", no_pickle)
    monkeypatch.setattr(pickle, "Unpickler", no_pickle)
    assert load(path) == expected
    assert not marker.exists()
    assert (home / name).read_bytes().startswith(cache.MAGIC)  # rebuilt
    assert load(path) == expected and not marker.exists()


def test_B01_a_planted_pickle_never_runs_in_the_command(tmp_path):
    """The report's case end to end: `treaty eval` with a pickle at the entry name of the bundled Charter."""
    xdg = tmp_path / "xdg"
    folder = xdg / "treatylang"
    folder.mkdir(parents=True, mode=0o700)
    marker = tmp_path / "PWNED"
    env = {k: v for k, v in os.environ.items() if k not in ("TREATYLANG_NO_CACHE", "TREATYLANG_DEBUG")}
    env["XDG_CACHE_HOME"] = str(xdg)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(ECOWAS_SCENARIO, encoding="utf-8")
    charter = treatylang.bundled_charter_path()
    (folder / entry(charter)).write_bytes(pickle.dumps(Planted(str(marker))))
    run = [sys.executable, "-m", "treatylang.cli", "eval", str(scenario), "--format", "json"]
    got = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60)
    off = subprocess.run(run, env=dict(env, TREATYLANG_NO_CACHE="1"), capture_output=True, text=True, timeout=60)
    assert (got.returncode, got.stdout, got.stderr) == (off.returncode, off.stdout, off.stderr) == (0, off.stdout, "")
    assert not marker.exists()


# ---- B03, B11: an entry that decodes but says something else ----------------------------------------
def _poisoned(body: bytes) -> bytes:
    """The report's B03 poison: article 6's `must assist` made `may stand_aside`, in a well-formed entry."""
    text = body.decode("utf-8")
    assert '"obligation","assist"' in text
    return text.replace('"obligation","assist"', '"permission","stand_aside"', 1).encode("utf-8")


def test_B03_a_changed_tree_without_the_writer_s_digest_is_refused(home, tmp_path, monkeypatch):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    written = fill(home, path)
    head, body = written.read_bytes().split(b"\n", 1)
    written.write_bytes(head + b"\n" + _poisoned(body))  # same header: the digest no longer matches
    assert load(path) == expected
    assert "stand_aside" not in load(path)[2]


def test_B03_cannot_arise_from_another_user_a_folder_they_own_or_may_write_is_not_used(home, tmp_path, monkeypatch,
                                                                                      parses):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    written = fill(home, path)
    head, body = written.read_bytes().split(b"\n", 1)
    forge(home, written.name, _poisoned(body))  # a perfect entry, digest and all: only a writer of the folder can
    for mode in (0o777, 0o770, 0o720, 0o702):
        home.chmod(mode)
        before = len(parses)
        assert load(path) == expected and len(parses) == before + 1  # not read: parsed
        assert written.read_bytes().split(b"\n", 1)[1] == _poisoned(body)  # and nothing written there either
    home.chmod(0o700)
    with monkeypatch.context() as mp:  # owned by someone else
        mp.setattr(cache, "os", FakeOs(geteuid=lambda: os.geteuid() + 4242))
        assert load(path) == expected


def test_B11_an_entry_for_another_text_under_this_name_is_a_miss(home, tmp_path, monkeypatch, parses):
    """The stored file name and text are compared with the ones being loaded, whatever the name says."""
    a, b = tmp_path / "a.treaty", tmp_path / "b.treaty"
    text = CHARTER.read_text(encoding="utf-8")
    a.write_text(text, encoding="utf-8")
    b.write_text(text.replace("M must assist V", "M may  assist V"), encoding="utf-8")
    expected_b = cache_off(b, monkeypatch)
    entry_a = fill(home, a)
    body = entry_a.read_bytes().split(b"\n", 1)[1].replace(str(a).encode(), str(b).encode())
    forge(home, entry(b), body)  # a's tree, its header valid for b's name
    before = len(parses)
    assert load(b) == expected_b and len(parses) == before + 1


# ---- B04, B05: symbolic links -----------------------------------------------------------------------
def test_B04_a_symlink_at_the_entry_name_is_neither_followed_for_reading_nor_for_writing(home, tmp_path, monkeypatch,
                                                                                        parses):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    thesis = tmp_path / "thesis.txt"
    thesis.write_text("my thesis\n")
    home.mkdir(parents=True, mode=0o700)
    link = home / entry(path)
    link.symlink_to(thesis)
    assert load(path) == expected
    assert thesis.read_text() == "my thesis\n"
    assert not link.is_symlink() and link.read_bytes().startswith(cache.MAGIC)  # the link itself replaced
    # a link to a perfect entry kept elsewhere is not read either
    elsewhere = tmp_path / "elsewhere.json"
    shutil.move(link, elsewhere)
    link.symlink_to(elsewhere)
    before = len(parses)
    assert load(path) == expected and len(parses) == before + 1


@pytest.mark.parametrize("target_kind", ["victim folder", "dangling"])
def test_B05_a_cache_folder_that_is_a_symlink_is_not_used(home, tmp_path, monkeypatch, target_kind, parses):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    docs = tmp_path / "victim_docs"
    if target_kind == "victim folder":  # the victim's own folder, 0700: everything but the link would pass
        docs.mkdir(mode=0o700)
        for i in range(300):
            (docs / f"c{i:03}.md").write_text(f"{i}\n")
            os.utime(docs / f"c{i:03}.md", (1e9 + i, 1e9 + i))
    home.parent.mkdir(parents=True)
    home.symlink_to(docs, target_is_directory=True)
    before = len(parses)
    assert load(path) == expected and load(path) == expected
    assert len(parses) == before + 2  # no entry written there, none read
    monkeypatch.setattr(cache, "MAX_ENTRIES", 0)  # and no pruning there either
    for other in (PACT, path):
        treatylang.load_treaty(other)
        assert load(path) == expected
    if target_kind == "victim folder":
        assert sorted(p.name for p in docs.iterdir()) == [f"c{i:03}.md" for i in range(300)]
    else:
        assert not docs.exists()
    assert home.is_symlink()


# ---- B05, B06: pruning touches only the cache's own files -------------------------------------------
def test_B06_pruning_leaves_the_user_s_own_files_in_a_folder_named_treatylang(home, tmp_path, monkeypatch):
    home.mkdir(parents=True, mode=0o700)
    mine = {}
    for i in range(250):
        mine[f"c{i:03}.md"] = f"{i}\n".encode()
    fake_hex = "0" * 64
    mine[f"treaty-{fake_hex}.json"] = b'{"my": "own json, named like an entry"}'  # the pattern, not the magic
    mine[".tmp-" + "0" * 32] = b"my file named like a temporary one"
    for name, data in mine.items():
        (home / name).write_bytes(data)
        os.utime(home / name, (1e9, 1e9))  # older than anything the cache writes
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    (home / f"treaty-{'1' * 64}.json").symlink_to(outside)  # a link named like an entry
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    treaties = []
    for i in range(5):
        p = tmp_path / f"t{i}.treaty"
        p.write_text(PACT.read_text(encoding="utf-8") + f"\n# copy {i}\n", encoding="utf-8")
        treaties.append(p)
        expected = cache_off(p, monkeypatch)
        assert load(p) == expected
    for name, data in mine.items():
        assert (home / name).read_bytes() == data, name
    assert outside.read_text() == "keep me" and (home / f"treaty-{'1' * 64}.json").is_symlink()
    ours = sorted(p.name for p in home.iterdir() if p.is_file() and not p.is_symlink()
                  and p.read_bytes().startswith(cache.MAGIC))
    assert ours == sorted(entry(p) for p in treaties[-2:])  # the newest two kept, the others pruned


def test_a_stale_temporary_file_of_the_cache_is_removed_a_fresh_one_is_kept(home, tmp_path, monkeypatch):
    home.mkdir(parents=True, mode=0o700)
    stale, fresh = home / (".tmp-" + "a" * 32), home / (".tmp-" + "b" * 32)
    for f in (stale, fresh):
        f.write_bytes(cache.MAGIC + b"half written")
    os.utime(stale, (1e9, 1e9))
    fill(home, copy_charter(tmp_path))
    assert not stale.exists() and fresh.exists()


# ---- B07, B08: unusable folders, read-only and full disks --------------------------------------------
@pytest.mark.parametrize("case", ["cache folder is a file", "XDG_CACHE_HOME is a file", "relative XDG_CACHE_HOME",
                                  "parent not writable"])
def test_B07_an_unusable_cache_location_means_no_cache_and_the_same_result(home, tmp_path, monkeypatch, case, capfd):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    if case == "cache folder is a file":
        home.parent.mkdir(parents=True)
        home.write_text("not a folder")
    elif case == "XDG_CACHE_HOME is a file":
        home.parent.write_text("not a folder")
    elif case == "relative XDG_CACHE_HOME":
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("XDG_CACHE_HOME", "relative")
        assert cache.path() == str(tmp_path / "home" / ".cache" / "treatylang")  # the XDG rule: ignored
    else:
        def refuse(p, *args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied", p)

        monkeypatch.setattr(cache, "os", FakeOs(mkdir=refuse, makedirs=refuse))
    assert load(path) == expected and load(path) == expected
    assert capfd.readouterr() == ("", "")
    if case == "relative XDG_CACHE_HOME":
        assert not (tmp_path / "relative").exists()


def test_B07_a_read_only_cache_still_serves_its_entries_and_writes_nothing(home, tmp_path, monkeypatch, parses):
    path, other = copy_charter(tmp_path), PACT
    expected = cache_off(path, monkeypatch)
    fill(home, path)
    real_open = os.open

    def read_only(p, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", p)
        return real_open(p, flags, *args, **kwargs)

    monkeypatch.setattr(cache, "os", FakeOs(open=read_only))
    before = len(parses)
    assert load(path) == expected and len(parses) == before  # a hit
    treatylang.load_treaty(other)
    assert sorted(p.name for p in home.iterdir()) == [entry(path)]


@pytest.mark.parametrize("free", [0, 1000])
def test_B08_a_full_disk_stores_nothing_and_leaves_no_temporary_file(home, tmp_path, monkeypatch, free):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    real_write = os.write
    written = {}

    def full(fd, data):
        room = free - written.get(fd, 0)
        if room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real_write(fd, bytes(data[:room]))
        written[fd] = written.get(fd, 0) + n
        return n

    monkeypatch.setattr(cache, "os", FakeOs(write=full))
    assert load(path) == expected and load(path) == expected
    assert list(home.iterdir()) == []
    monkeypatch.setattr(cache, "os", os)
    assert load(path) == expected and [p.name for p in home.iterdir()] == [entry(path)]


def test_short_writes_are_completed(home, tmp_path, monkeypatch, parses):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    real_write = os.write
    monkeypatch.setattr(cache, "os", FakeOs(write=lambda fd, data: real_write(fd, bytes(data[:777]))))
    assert load(path) == expected
    before = len(parses)
    assert load(path) == expected and len(parses) == before  # the entry was whole


# ---- B09: concurrent cold runs ----------------------------------------------------------------------
def test_B09_concurrent_cold_runs_give_identical_output(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(ECOWAS_SCENARIO, encoding="utf-8")
    run = [sys.executable, "-m", "treatylang.cli", "eval", str(scenario), "--format", "json"]
    env = {k: v for k, v in os.environ.items() if k not in ("TREATYLANG_NO_CACHE", "TREATYLANG_DEBUG")}
    reference = subprocess.run(run, env=dict(env, TREATYLANG_NO_CACHE="1"), capture_output=True, timeout=60)
    assert reference.returncode == 0
    for round_ in range(3):
        xdg = tmp_path / f"xdg{round_}"
        procs = [subprocess.Popen(run, env=dict(env, XDG_CACHE_HOME=str(xdg)), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(4)]
        outs = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
        assert all(o == (reference.stdout, b"", 0) for o in outs), outs
        folder = xdg / "treatylang"
        assert [p.name for p in folder.iterdir() if p.name.startswith("treaty-")] == [
            entry(treatylang.bundled_charter_path())]  # (and the entry of the vocabulary the Charter uses)
        warm = subprocess.run(run, env=dict(env, XDG_CACHE_HOME=str(xdg)), capture_output=True, timeout=60)
        assert (warm.stdout, warm.stderr, warm.returncode) == (reference.stdout, b"", 0)


# ---- B10, B14: the key ------------------------------------------------------------------------------
def test_B10_a_same_size_same_mtime_edit_is_seen(home, tmp_path, monkeypatch):
    path = copy_charter(tmp_path)
    before = load(path)
    stamp = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("M must assist V", "M may  assist V"), encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert path.stat().st_size == stamp.st_size
    after = load(path)
    assert after != before and after == cache_off(path, monkeypatch)


def test_B14_the_key_covers_file_name_text_version_and_the_bytes_not_the_times_of_the_code(tmp_path):
    code = []
    for name in ("grammar.lark", "parser.py", "syntax.py", "checks.py", "spans.py"):
        copy = tmp_path / name
        copy.write_bytes(b"# " + name.encode() + b"\n")
        code.append(copy)

    def key(*, file="a.treaty", text="t", version="0.1.0"):
        cache._code_digests.clear()
        return cache.entry_name("treaty", file, text, version=version, code=code)

    base = key()
    assert cache._ENTRY.match(base) and base == key()
    assert len({base, key(file="b.treaty"), key(text="u"), key(version="0.1.1")}) == 4
    assert key(file="ab", text="") != key(file="a", text="b")  # the parts are delimited
    for copy in code:
        stamp = copy.stat()
        os.utime(copy, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))  # time only: the same key
        assert key() == base
        data = copy.read_bytes()
        copy.write_bytes(data.replace(b"#", b"%"))  # same size and time, other bytes: a new key
        os.utime(copy, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        assert key() != base
        copy.write_bytes(data)
        assert key() == base
    code.append(tmp_path / "missing.py")
    assert key() is None  # code that cannot be read: no cache


def test_B14_the_key_names_the_modules_that_shape_the_tree():
    names = {os.path.relpath(f, ROOT / "treatylang") for f in tree_json.code_files()}
    for needed in ("lang/grammar.lark", "lang/grammar_tables.json", "lang/parser.py", "lang/syntax.py",
                   "lang/checks.py", "lang/tree_json.py", "source/spans.py", "source/diagnostics.py",
                   "source/files.py", "source/dates.py"):
        assert needed in names, needed
    assert any(f.endswith(os.path.join("lark", "__init__.py")) for f in tree_json.code_files())


# ---- B12: damaged entries ---------------------------------------------------------------------------
DAMAGE = {
    "empty": lambda body, head: b"",
    "half": lambda body, head: (head + body)[: len(head + body) // 2],
    "random bytes": lambda body, head: os.urandom(4096),
    "magic only": lambda body, head: cache.MAGIC,
    "header, no body": lambda body, head: head,
    "json null": lambda body, head: b"null",
    "json []": lambda body, head: b"[]",
    "a pickled tuple": lambda body, head: pickle.dumps((1, 2, 3, 4)),
}
FORGED = {  # bodies behind a correct header: tree_json must refuse them
    "null": b"null",
    "[]": b"[]",
    "{}": b"{}",
    "a string": b'"treatylang"',
    "NaN": b"NaN",
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "not utf-8": b"\xff\xfe{}",
    "wrong format": None,  # made from the valid body below
    "wrong version": None,
    "version true": None,
    "extra key": None,
    "missing key": None,
    "another node tag": None,
    "an int for a string": None,
    "a bool for an int": None,
    "a field too many": None,
    "a field too few": None,
    "a field shifted": None,
    "a bad date": None,
    "a lenient date": None,
    "a float line": None,
    "an error diagnostic": None,
    "truncated tree": None,
}


def _forged(kind: str, body: bytes) -> bytes:
    if FORGED[kind] is not None:
        return FORGED[kind]
    data = json.loads(body)
    if kind == "wrong format":
        data["format"] = "something else"
    elif kind == "wrong version":
        data["version"] = 99
    elif kind == "version true":
        data["version"] = True
    elif kind == "extra key":
        data["extra"] = 1
    elif kind == "missing key":
        del data["diagnostics"]
    header, party = data["tree"][0], data["tree"][1][0]  # ["Header", id, title, signed, ...], ["Party", ...]
    assert header[0] == "Header" and header[3] == "2023-09-16" and party[:2] == ["Party", "burkina_faso"]
    if kind == "another node tag":
        party[0] = "Const"
    elif kind == "an int for a string":
        party[1] = 7
    elif kind == "a bool for an int":
        header[-1][0] = True  # the header's span's line
    elif kind == "a field too many":
        party.append(party[-1])  # a second span at the end
    elif kind == "a field too few":
        party.pop()  # no span
    elif kind == "a field shifted":
        party.insert(2, "x")
    elif kind == "a bad date":
        header[3] = "2023-02-30"
    elif kind == "a lenient date":
        header[3] = "20230916"  # Python 3.11's fromisoformat would take it
    elif kind == "a float line":
        header[-1][0] = 1.0
    elif kind == "an error diagnostic":
        data["diagnostics"] = [["Diagnostic", [1, 1, 1, 2, None], "planted", "error", None, None]]
    elif kind == "truncated tree":
        data["tree"] = data["tree"][:-1]
    return json.dumps(data, ensure_ascii=False).encode()


@pytest.mark.parametrize("kind", list(DAMAGE) + ["a directory"])
def test_B12_a_damaged_entry_is_rebuilt_silently(home, tmp_path, monkeypatch, kind, parses, capfd):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    written = fill(home, path)
    head, body = written.read_bytes().split(b"\n", 1)
    if kind == "a directory":
        written.unlink()
        written.mkdir()
    else:
        written.write_bytes(DAMAGE[kind](body, head + b"\n"))
    before = len(parses)
    assert load(path) == expected and len(parses) == before + 1
    assert load(path) == expected
    if kind != "a directory":
        assert written.read_bytes() == head + b"\n" + body  # rebuilt
        assert len(parses) == before + 1
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("kind", list(FORGED))
def test_B12_a_well_framed_entry_of_the_wrong_shape_is_rebuilt(home, tmp_path, monkeypatch, kind, parses):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    written = fill(home, path)
    head, body = written.read_bytes().split(b"\n", 1)
    bad = _forged(kind, body)
    assert bad != body
    forge(home, written.name, bad)
    with pytest.raises(tree_json.BadEntry) if kind != "an error diagnostic" else contextlib.nullcontext():
        tree_json.loads(bad, str(path), path.read_text(encoding="utf-8"))
    before = len(parses)
    assert load(path) == expected and len(parses) == before + 1
    assert written.read_bytes() == head + b"\n" + body


def test_B12_an_oversized_entry_is_not_read(home, tmp_path, monkeypatch, parses):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    fill(home, path)
    monkeypatch.setattr(cache, "MAX_BYTES", 100)
    before = len(parses)
    assert load(path) == expected and len(parses) == before + 1


# ---- B13: FIFOs -------------------------------------------------------------------------------------
PROBE = """
import json, sys
import treatylang
from treatylang.infra import cache
cache.MAX_ENTRIES = int(sys.argv[2])
t = treatylang.load_treaty(sys.argv[1])
print(json.dumps([t.id, sorted(t.parties), [d.format() for d in t.warnings]]))
"""


@pytest.mark.parametrize("where", ["entry", "prune candidate", "cache folder", "temporary name"])
def test_B13_a_fifo_in_the_cache_never_blocks(tmp_path, where):
    path = copy_charter(tmp_path)
    xdg = tmp_path / "xdg"
    folder = xdg / "treatylang"
    env = {k: v for k, v in os.environ.items() if k not in ("TREATYLANG_NO_CACHE", "TREATYLANG_DEBUG")}
    env["XDG_CACHE_HOME"] = str(xdg)

    def probe(max_entries=200, **extra):
        return subprocess.run([sys.executable, "-c", PROBE, str(path), str(max_entries)], env=dict(env, **extra),
                              capture_output=True, text=True, timeout=30)

    reference = probe(TREATYLANG_NO_CACHE="1")
    assert reference.returncode == 0, reference.stderr
    if where == "cache folder":
        xdg.mkdir()
        os.mkfifo(folder)
    else:
        folder.mkdir(parents=True, mode=0o700)
        name = {"entry": entry(path), "prune candidate": f"treaty-{'0' * 64}.json",
                "temporary name": ".tmp-" + "0" * 32}[where]
        os.mkfifo(folder / name)
        os.utime(folder / name, (1e9, 1e9))
    for _ in range(2):
        got = probe(max_entries=0 if where == "prune candidate" else 200)  # a hang fails with TimeoutExpired
        assert (got.returncode, got.stdout, got.stderr) == (0, reference.stdout, "")


def test_B13_a_fifo_holding_data_is_skipped_without_being_read(home, tmp_path, monkeypatch, parses):
    """fstat first: a FIFO (here with a writer and bytes waiting) is not read at all."""
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    home.mkdir(parents=True, mode=0o700)
    fifo = home / entry(path)
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer, so that a read would not block but find data
    try:
        os.write(fd, b"waiting bytes")
        before = len(parses)
        assert load(path) == expected and len(parses) == before + 1
        assert os.read(fd, 100) == b"waiting bytes"  # still there: never read
    finally:
        os.close(fd)
    assert stat.S_ISFIFO(fifo.lstat().st_mode) or fifo.is_file()


# ---- directory owner and mode, and what TREATYLANG_DEBUG says ---------------------------------------
@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_folder_owned_by_another_user_is_not_used(home, tmp_path, monkeypatch, parses):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    written = fill(home, path)
    os.chown(home, 4242, 4242)
    os.chown(written, 4242, 4242)
    before = len(parses)
    assert load(path) == expected and len(parses) == before + 1
    assert [p.name for p in home.iterdir()] == [written.name]


def test_a_refused_folder_is_one_line_under_treatylang_debug_and_silent_otherwise(home, tmp_path, monkeypatch, capfd):
    path = copy_charter(tmp_path)
    expected = cache_off(path, monkeypatch)
    home.mkdir(parents=True)
    home.chmod(0o777)
    assert load(path) == expected
    assert capfd.readouterr() == ("", "")
    monkeypatch.setenv("TREATYLANG_DEBUG", "1")
    cache._said.clear()
    assert load(path) == expected and load(path) == expected
    out, err = capfd.readouterr()
    assert out == "" and err.count("\n") == 1 and "group or others may write to it" in err, err
    assert not any(home.iterdir())


def test_treatylang_no_cache_reads_and_writes_nothing(home, tmp_path, monkeypatch, parses):
    path = copy_charter(tmp_path)
    fill(home, path)
    monkeypatch.setenv("TREATYLANG_NO_CACHE", "1")
    shutil.rmtree(home)
    before = len(parses)
    treatylang.load_treaty(path)
    assert len(parses) == before + 1 and not home.exists()


def test_a_cache_hit_imports_neither_lark_nor_the_parser(tmp_path):
    xdg = tmp_path / "xdg"
    code = ("import sys, treatylang; treatylang.load_treaty(sys.argv[1]); "
            "print(sorted(m for m in ('lark', 'treatylang.lang.parser', 'treatylang.lang.checks') if m in sys.modules))")
    env = {k: v for k, v in os.environ.items() if k not in ("TREATYLANG_NO_CACHE",)}
    env["XDG_CACHE_HOME"] = str(xdg)
    path = copy_charter(tmp_path)
    runs = [subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True,
                           timeout=60) for _ in range(2)]
    # the first run parses (with treatylang's own parser: a text that parses needs no Lark), the second not
    assert [r.stdout.strip() for r in runs] == ["['treatylang.lang.checks', 'treatylang.lang.parser']", "[]"]


def test_cache_module_takes_the_version_from_its_caller():
    source = Path(cache.__file__).read_text(encoding="utf-8")
    assert "from treatylang import" not in source and "import treatylang\n" not in source
