"""Hostile input files (the cases of the security report reviews/hostile-inputs.md that concern the loaders).

Each case is refused with exit status 2 and a located message (`file:line:col: error: ...`), in bounded time
and memory, never with a traceback, an internal error (exit 70) or a hang. Small inputs are files beside
this module, named `*.in` so that no tool takes them for a scenario or a treaty (the pytest plugin collects
`.yaml` files under a folder named on the command line); each test copies them, without `.in`, to a
folder of its own. Large inputs are made at run time. The tests assert only the project's own wording.

Cases: B13 (a FIFO as input), C02 (one big anchor, many aliases), C08 (dates), C09 (numbers as ids), C10
(empty and odd roots), C11 (special files), C12 (a `treaty:` path to any file), C13 (error volume, the cost
of did-you-mean), C14 (`expect` pairing), D02/D15 (huge files: bounded memory in the loader), D10 (past
the calendar's end), F02 (odd paths), F04 (a thousand scenarios).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import treatylang
from treatylang import TreatyError
from treatylang.casebook.runner import largest_pairing
from treatylang.cli import main
from treatylang.source import files

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PACT = ROOT / "examples" / "pacts" / "northwind_pact.treaty"

TIME_LIMIT = 10.0  # seconds: generous; every case here is refused in well under one
MEMORY_LIMIT = 64 * 2**20  # bytes traced in-process for a small case
PROCESS_MEMORY_LIMIT = 400  # MB of peak RSS for a whole `treaty` process (about 40 of them are Python itself)

# FIFOs, Unix sockets, /dev and SIGALRM (the guard against a hang): POSIX only.
pytestmark = pytest.mark.skipif(os.name != "posix" or not hasattr(os, "mkfifo"), reason="needs POSIX special files")

HEAD = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+)$")


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory):
    """Parsed treaties go to a cache of this module's own (hostile files would pile up in the shared one)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


# ---- helpers ----------------------------------------------------------------------------------------------------
@pytest.fixture
def fixtures(tmp_path) -> Path:
    """This module's `*.in` files, copied to a folder of the test's own without `.in`."""
    for source in HERE.glob("*.in"):
        shutil.copyfile(source, tmp_path / source.name[:-3])
    return tmp_path


@contextlib.contextmanager
def deadline(seconds: float = TIME_LIMIT):
    """Fail (rather than hang) when the block runs longer than `seconds`: a blocking open() is interrupted."""

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def cli(argv, cwd=None, memory=MEMORY_LIMIT) -> tuple[int, str, str]:
    """`treaty ARGV` in this process: (exit status, stdout, stderr), within the time and memory budgets."""
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    tracemalloc.start()
    start = time.monotonic()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with deadline(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main([str(a) for a in argv])
            except SystemExit as e:  # argparse refuses a bad argument so
                status = e.code
    finally:
        os.chdir(here)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.monotonic() - start < TIME_LIMIT
    assert peak < memory, f"{peak / 2**20:.0f} MB traced"
    return status, out.getvalue(), err.getvalue()


WRAPPER = textwrap.dedent("""\
    import resource, sys
    from treatylang.cli import main
    try:
        status = main(sys.argv[2:])
    finally:
        with open(sys.argv[1], "w") as f:
            f.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))
    sys.exit(status)
    """)


def process(argv, cwd, tmp_path, limit_files: int | None = None) -> tuple[int, str, str]:
    """`treaty ARGV` as a process of its own, killed if it outlasts the time budget; its peak RSS is checked."""
    rss = tmp_path / "rss.txt"

    def limits():
        if limit_files is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_NOFILE, (limit_files, limit_files))

    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", WRAPPER, str(rss), *map(str, argv)], cwd=cwd, capture_output=True,
                          text=True, timeout=TIME_LIMIT + 20, preexec_fn=limits)  # + the start of Python itself
    assert time.monotonic() - start < TIME_LIMIT + 20
    assert int(rss.read_text()) < PROCESS_MEMORY_LIMIT, f"{rss.read_text()} MB"
    return proc.returncode, proc.stdout, proc.stderr


def refused(status, out, err, file=None, line=None, column=None) -> list[re.Match]:
    """Exit 2, nothing on stdout, no traceback; every message located. Returns the message heads."""
    assert status == 2, (status, err[-2000:])
    assert "Traceback" not in err and "internal error" not in err, err[-2000:]
    heads = [m for m in map(HEAD.match, err.splitlines()) if m]
    assert heads, err[-2000:]
    first = heads[0]
    if file is not None:
        assert first["file"] == str(file), err[-2000:]
    if line is not None:
        assert int(first["line"]) == line, err[-2000:]
    if column is not None:
        assert int(first["col"]) == column, err[-2000:]
    return heads


def scenario(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


VALID = "title: Mali attacks Niger\nevents:\n  - {type: attack, date: 2024-02-01, target: niger, by: mali}\n"


# ---- C10: empty and odd roots --------------------------------------------------------------------------------------
C10 = {
    "c10_empty.yaml": "empty", "c10_whitespace.yaml": "empty", "c10_comment.yaml": "empty",
    "c10_document_start.yaml": "not nothing", "c10_document_end.yaml": "not valid YAML", "c10_null.yaml": "not nothing",
    "c10_tilde.yaml": "not nothing", "c10_list.yaml": "not a list", "c10_number.yaml": "not '42'",
    "c10_text.yaml": "not 'text'", "c10_no_events.yaml": "has no 'events'", "c10_no_title.yaml": "has no 'title'",
    "c10_two_documents.yaml": "a second YAML document", "c10_events_mapping.yaml": "'events' must be a list",
    "c10_events_text.yaml": "'events' must be a list",
}


@pytest.mark.parametrize("name", sorted(C10))
def test_c10_odd_roots(fixtures, name):
    path = fixtures / name
    heads = refused(*cli(["eval", path]), file=path)
    assert C10[name] in heads[0]["message"]


# ---- C08: dates are YYYY-MM-DD, on every Python ---------------------------------------------------------------------
def test_c08_every_other_spelling_of_a_date_is_refused_where_it_stands(fixtures):
    path = fixtures / "c08_dates.yaml"
    heads = refused(*cli(["eval", path]), file=path)
    assert {int(m["line"]) for m in heads} == set(range(3, 13))  # one error on each event's line
    said = {int(m["line"]): m["message"] for m in heads}
    impossible = {7: "'2023-02-30' is not a valid date: there is no 30 February 2023 (February 2023 has 28 days)",
                  8: "'0000-01-01' is not a valid date: there is no year 0 (years start at 1)"}
    for line, message in said.items():  # written YYYY-MM-DD but no day of the calendar: which one is missing
        assert message == ("the event's date " + impossible[line] if line in impossible else
                           message if message.startswith("the event's date must be a date (YYYY-MM-DD), not '") else None)


@pytest.mark.parametrize("value", ["20240301", "2024-W09-5", "2024-061", "2024-3-1", "２０２４-03-01"])
def test_c08_as_of_on_the_command_line(tmp_path, value):
    path = scenario(tmp_path / "s.yaml", VALID)
    status, out, err = cli(["eval", path, "--as-of", value])
    assert status == 2 and out == "" and "Traceback" not in err
    assert f"is not a date (YYYY-MM-DD)" in err


def test_c08_as_of_in_a_scenario_and_in_expect(tmp_path):
    path = scenario(tmp_path / "s.yaml", VALID + "as_of: 20240301\nexpect:\n  effects:\n    - {from: 2024-W09-5}\n")
    refused(*cli(["eval", path]), file=path, line=4, column=8)
    path.write_text(VALID + "expect:\n  effects:\n    - {from: 2024-W09-5}\n", encoding="utf-8")
    heads = refused(*cli(["test", path]), file=path, line=6, column=14)
    assert "'from' must be a date (YYYY-MM-DD), not '2024-W09-5'" in heads[0]["message"]


# ---- C09: an id that is a number ------------------------------------------------------------------------------------
def test_c09_the_message_states_the_rule(fixtures):
    path = fixtures / "c09_ids.yaml"
    heads = refused(*cli(["eval", path]), file=path)
    said = {int(m["line"]): m["message"] for m in heads}
    assert said == {
        3: "actor id '0x10' must start with a letter; letters, digits and _ after",
        4: "actor id '1x' must start with a letter; letters, digits and _ after",
        5: "actor id '_x' must start with a letter; letters, digits and _ after",
    }


# ---- C11 and B13: special files are refused before they are read ---------------------------------------------------
def special_files(tmp_path) -> dict[str, tuple[Path, str]]:
    """{name: (path, what the message says it is)}: a FIFO, a socket, a folder, two devices."""
    made = {}
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    made["fifo"] = (fifo, "is a named pipe (FIFO), not a regular file")
    sock = tmp_path / "sock.yaml"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    made["socket"] = (sock, "is a socket, not a regular file")
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    made["folder"] = (folder, "is a directory, not a file")
    made["/dev/null"] = (Path("/dev/null"), "is a character device, not a regular file")
    made["/dev/zero"] = (Path("/dev/zero"), "is a character device, not a regular file")
    return made


SPECIAL = ["fifo", "socket", "folder", "/dev/null", "/dev/zero"]


@pytest.mark.parametrize("kind", SPECIAL)
def test_c11_special_file_as_a_scenario(tmp_path, kind):
    path, said = special_files(tmp_path)[kind]
    heads = refused(*cli(["eval", path]), file=path, line=1, column=1)
    assert heads[0]["message"] == said


@pytest.mark.parametrize("kind", SPECIAL)
def test_c11_special_file_as_the_treaty(tmp_path, kind):
    path, said = special_files(tmp_path)[kind]
    s = scenario(tmp_path / "s.yaml", VALID)
    for argv in (["eval", s, "--treaty", path], ["check", path], ["test", s, "--treaty", path]):
        heads = refused(*cli(argv), file=path, line=1, column=1)
        assert heads[0]["message"] == said


@pytest.mark.parametrize("kind", SPECIAL)
def test_c11_special_file_named_by_treaty_key(tmp_path, kind):
    path, said = special_files(tmp_path)[kind]
    s = scenario(tmp_path / "s.yaml", f"title: x\ntreaty: {path}\nevents: []\n")
    heads = refused(*cli(["eval", s]), file=s, line=2, column=9)
    assert heads[0]["message"] == f"the treaty file '{path}' named by `treaty:` {said}"


def test_c11_treaty_test_skips_and_reports_what_is_not_a_file(tmp_path):
    """A FIFO, a socket and a broken link named like scenarios in a casebook folder: reported, never opened."""
    folder = tmp_path / "cases"
    folder.mkdir()
    scenario(folder / "a_good.yaml", VALID + "expect:\n  breaches: [{party: mali}]\n")
    os.mkfifo(folder / "b_fifo.yaml")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "c_socket.yaml"))
    os.symlink(folder / "nowhere", folder / "d_broken.yaml")
    status, out, err = cli(["test", folder])
    heads = refused(status, out, err)
    assert [(Path(m["file"]).name, m["message"]) for m in heads] == [
        ("b_fifo.yaml", "skipped: is a named pipe (FIFO), not a regular file"),
        ("c_socket.yaml", "skipped: is a socket, not a regular file"),
        ("d_broken.yaml", "skipped: no such file"),
    ]
    assert "PASS" in out and "1 passed, 0 failed" in out


def test_b13_a_fifo_swapped_in_after_the_check_is_not_waited_for(tmp_path, monkeypatch):
    """The kind is looked at again on what was opened, which is opened without blocking."""
    fifo = tmp_path / "late.yaml"
    os.mkfifo(fifo)
    monkeypatch.setattr(files, "kind_problem", lambda path: None)  # as if it were a file when first looked at
    with deadline(), pytest.raises(TreatyError) as info:
        files.read_bytes(str(fifo))
    assert info.value.diagnostics[0].message == "is a named pipe (FIFO), not a regular file"


def test_b13_c11_a_fifo_in_a_real_process(tmp_path):
    """The `treaty` command itself, on an idle FIFO (as a scenario, as --treaty, in a folder): exit 2, no hang."""
    fifo = tmp_path / "idle.yaml"
    os.mkfifo(fifo)
    s = scenario(tmp_path / "s.yaml", VALID)
    for argv, file in ((["eval", fifo], fifo), (["eval", s, "--treaty", fifo], fifo), (["test", tmp_path], fifo)):
        heads = refused(*process(argv, tmp_path, tmp_path), file=file, line=1, column=1)
        assert "named pipe (FIFO)" in heads[0]["message"]


# ---- C12: what a scenario's `treaty:` key may read -------------------------------------------------------------------
def test_c12_a_file_of_secrets_is_not_quoted(fixtures):
    path = fixtures / "c12_reads_a_secret.yaml"
    status, out, err = cli(["eval", path])
    heads = refused(status, out, err, file=path, line=2, column=9)
    assert heads[0]["message"] == (f"the file '{fixtures / 'c12_secret.txt'}' named by `treaty:` is not a treaty "
                                   "file (line 1: expected 'treaty' or another declaration)")
    assert "SECRET" not in err and "ghp_" not in err and "https" not in err
    status, out, err = cli(["test", fixtures])  # the casebook on a folder holding it: the same
    assert "SECRET" not in err + out


@pytest.mark.skipif(not os.path.isfile("/etc/passwd"), reason="no /etc/passwd here")
def test_c12_etc_passwd(tmp_path):
    s = scenario(tmp_path / "s.yaml", "title: x\ntreaty: /etc/passwd\nevents: []\n")
    status, out, err = cli(["eval", s])
    heads = refused(status, out, err, file=s, line=2, column=9)
    assert "'/etc/passwd' named by `treaty:` is not a treaty file (line " in heads[0]["message"]
    assert "root:" not in err and "/bin/" not in err and "nologin" not in err


def test_c12_a_relative_path_out_of_the_folder(tmp_path):
    (tmp_path / ".git-credentials").write_text("https://ci-bot:ghp_FAKESECRET@github.com\n")
    inner = tmp_path / "pr" / "cases"
    inner.mkdir(parents=True)
    s = scenario(inner / "s.yaml", "title: x\ntreaty: ../../.git-credentials\nevents: []\n")
    status, out, err = cli(["eval", s])
    refused(status, out, err, file=s, line=2, column=9)
    assert "ghp_" not in err


def test_c12_errors_of_a_named_treaty_are_located_without_its_lines(fixtures):
    path = fixtures / "c12_reads_a_bad_treaty.yaml"
    status, out, err = cli(["eval", path])
    refused(status, out, err, file=fixtures / "c12_secret.treaty", line=3, column=7)
    assert "ghp_LINE" not in err
    assert not any(line.startswith("  ") for line in err.splitlines())  # no source line, no caret
    # the same treaty given by the user on the command line is quoted, as any file the user names
    status, out, err = cli(["check", fixtures / "c12_secret.treaty"])
    assert status == 2 and "  party (" in err


@pytest.mark.parametrize("content, said", [
    (b"\xff\xfe binary", "is not a treaty file (line 1: the file is not valid UTF-8 (byte 0xff))"),
    (b"# a comment\n\nnot a treaty\n", "is not a treaty file (line 3: expected 'treaty' or another declaration)"),
    (b"", "is not a treaty file (line 1: expected 'treaty' or another declaration)"),
    (b"ok\x00secret", "is not a treaty file (line 1: the character '\\x00' (U+0000) is not allowed in a treaty)"),
])
def test_c12_files_that_are_not_treaties(tmp_path, content, said):
    (tmp_path / "t.treaty").write_bytes(content)
    s = scenario(tmp_path / "s.yaml", "title: x\ntreaty: t.treaty\nevents: []\n")
    status, out, err = cli(["eval", s])
    heads = refused(status, out, err, file=s, line=2, column=9)
    assert heads[0]["message"] == f"the file '{tmp_path / 't.treaty'}' named by `treaty:` {said}"
    assert "secret" not in err


def test_c12_a_named_treaty_that_is_fine_still_loads(tmp_path):
    shutil.copyfile(PACT, tmp_path / "pact.treaty")
    s = scenario(tmp_path / "s.yaml", "title: x\ntreaty: pact.treaty\nevents: []\n")
    assert treatylang.load_scenario(s).treaty.id == treatylang.load_treaty(PACT).id


# ---- C02, C13: bounded work before it grows --------------------------------------------------------------------------
def test_c02_one_big_anchor_aliased_2000_times(tmp_path):
    big = "a" * 1_000_000
    events = "".join("  - {type: attack, date: 2023-10-01, target: *big, by: mali}\n" for _ in range(2000))
    s = scenario(tmp_path / "big.yaml", f"title: x\nnote: &big {big}\nevents:\n{events}")
    status, out, err = process(["eval", s], tmp_path, tmp_path)
    heads = refused(status, out, err, file=s, line=2, column=7)  # where the anchor stands
    assert len(heads) == 1  # the same value at the same place: said once
    assert heads[0]["message"].startswith("unknown actor '" + "a" * 60 + "…'")
    assert len(err) < 5_000


def test_c13_many_errors_are_capped(tmp_path):
    """18,000 events with three errors each: the first 50 errors, then how many more."""
    events = "".join(f"  - {{type: attack, date: 2023-13-45, target: nobody, by: mali, colour: red}}\n"
                     for _ in range(18_000))
    s = scenario(tmp_path / "many.yaml", f"title: x\nevents:\n{events}")
    status, out, err = process(["eval", s], tmp_path, tmp_path)
    heads = refused(status, out, err, file=s, line=3)
    assert len(heads) == files.MAX_ERRORS + 1
    assert heads[-1]["message"] == f"… and {54_000 - files.MAX_ERRORS:,} more errors (only the first 50 of a file are shown)"
    assert len(err) < 50_000


def test_c13_did_you_mean_among_20000_actors(tmp_path):
    """20,000 declared actors and 1,000 unknown references: answered in seconds, the hints still found."""
    actors = "".join(f"  actor_{i:05d}: {{name: Actor {i}}}\n" for i in range(20_000))
    events = "".join(f"  - {{type: attack, date: 2023-10-01, target: niger, by: actor_{i:05d}x}}\n" for i in range(1000))
    s = scenario(tmp_path / "crowd.yaml", f"title: x\nactors:\n{actors}events:\n{events}")
    status, out, err = process(["eval", s], tmp_path, tmp_path)
    heads = refused(status, out, err, file=s, line=20_004)
    assert len(heads) == files.MAX_ERRORS + 1
    assert heads[0]["message"].startswith("unknown actor 'actor_00000x'; declare it under 'actors' or use a party "
                                          "of the treaty (this scenario names no `treaty:`, so the bundled ")
    assert heads[0]["message"].endswith("add `treaty: your.treaty` to use yours); did you mean 'actor_00000'?")
    assert heads[1]["message"] == ("unknown actor 'actor_00001x'; declare it under 'actors' or use a party of the "
                                   "treaty; did you mean 'actor_00001'?")  # the default treaty is named once


def test_c13_long_names_are_quoted_by_their_start(tmp_path, charter):
    long = "x" * 10_000
    s = scenario(tmp_path / "long.yaml", f"title: x\n? {long}\n: 1\nactors:\n  ? {long}\n  : {{kind: {long}}}\n"
                                         f"events:\n  - {{type: {long}, date: 2023-10-01}}\n"
                                         f"  - {{type: attack, date: {long}, target: {long}, by: mali, object: {long}}}\n")
    with pytest.raises(TreatyError) as info:
        treatylang.load_scenario(s, charter)
    assert len(info.value.diagnostics) >= 5
    for d in info.value.diagnostics:
        assert len(d.message) < 400 and (d.hint is None or len(d.hint) < 200), d.message[:100]
        assert "x" * 61 not in d.message and "x" * 60 + "…'" in d.message


def test_c13_treaty_errors_are_capped(tmp_path):
    rules = "".join(f"  rule r{i}:\n    when nothing_{i}(target: V)\n    V must act\n" for i in range(200))
    t = tmp_path / "many.treaty"
    t.write_text(f'treaty x "t"\n  in force on 2020-01-01\nparty p "P"\narticle 1 "A"\n  text en "x"\n{rules}')
    heads = refused(*cli(["check", t]), file=t)
    assert len(heads) == files.MAX_ERRORS + 1
    assert heads[-1]["message"].startswith("… and ")


# ---- C14: pairing expected breaches, without recursion -----------------------------------------------------------------
def test_c14_a_thousand_expected_breaches(tmp_path):
    events = "".join(f"  - {{type: attack, date: 2024-02-01, target: niger, by: mali}}\n" for _ in range(1000))
    expected = "".join("    - {party: mali}\n" for _ in range(1000))
    s = scenario(tmp_path / "case.yaml", f"title: many\nevents:\n{events}expect:\n  breaches:\n{expected}")
    status, out, err = process(["test", s], tmp_path, tmp_path)
    assert (status, err) == (0, ""), err[-2000:]
    assert out.endswith("1 passed, 0 failed\n")
    s.write_text(s.read_text() + "    - {party: mali}\n")  # one more than there are
    status, out, err = process(["test", s], tmp_path, tmp_path)
    assert status == 1 and "Traceback" not in err
    assert out.count("expected breach not found (each item needs a breach of its own)") == 1


def _kuhn(adjacent, n_right) -> int:
    """The size of a largest matching, by the textbook recursive algorithm (small graphs only)."""
    owner = {}

    def place(i, seen):
        for j in adjacent[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(place(i, set()) for i in range(len(adjacent)))


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.integers(0, 8).flatmap(lambda n_right: st.tuples(
    st.just(n_right), st.lists(st.lists(st.integers(0, max(n_right - 1, 0)), unique=True,
                                        max_size=n_right), max_size=8))))
def test_c14_largest_pairing_is_largest_and_a_pairing(graph):
    n_right, adjacent = graph
    pairs = largest_pairing(adjacent, n_right)
    assert len(set(pairs.values())) == len(pairs)
    assert all(j in adjacent[i] for i, j in pairs.items())
    assert len(pairs) == _kuhn(adjacent, n_right)


# ---- D10: past the calendar's end, never ------------------------------------------------------------------------------
def test_d10_effects_past_9999_never_happen(fixtures):
    status, out, err = cli(["eval", fixtures / "d10_far.yaml", "--format", "json"])
    assert (status, err) == (0, ""), err
    result = json.loads(out)
    assert result["members"] == ["north", "south"]  # west never joins; north and south never leave
    assert [(e["party"], e["change"], e["from"]) for e in result["effects"]] == [("east", "leaves", "9999-12-31")]


def test_d10_entry_into_force_past_9999_is_never(tmp_path):
    t = tmp_path / "t.treaty"
    t.write_text('treaty far "Far"\n  in force 999999999 years after 1 ratification events\n'
                 'party north "North"\nparty south "South"\nevent ratification(party: actor)\n')
    s = scenario(tmp_path / "s.yaml", "title: x\ntreaty: t.treaty\nevents:\n"
                                      "  - {type: ratification, date: 2024-01-01, party: north}\n")
    status, out, err = cli(["eval", s, "--format", "json", "--as-of", "9999-12-31"])
    assert (status, err) == (0, "")
    assert json.loads(out)["members"] == []


# ---- F02: odd paths work -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["with space.yaml", "Mālī ☃ 日本.yaml", "-x.yaml", "--help.yaml", "new\nline.yaml",
                                  "x" * 240 + ".yaml"])
def test_f02_odd_scenario_names(tmp_path, name):
    path = scenario(tmp_path / name, VALID)
    status, out, err = cli(["eval", "--", path.name], cwd=tmp_path)
    assert (status, err) == (0, ""), err
    assert "Mali attacks Niger" in out


def test_f02_deep_folder_and_unicode_treaty_path(tmp_path):
    deep = tmp_path.joinpath(*["d"] * 200)
    deep.mkdir(parents=True)
    (tmp_path / "traités ☃").mkdir()
    shutil.copyfile(PACT, tmp_path / "traités ☃" / "pacte ☃.treaty")
    s = scenario(deep / "s.yaml", "title: deep\ntreaty: " + "../" * 200 + "traités ☃/pacte ☃.treaty\nevents: []\n")
    status, out, err = cli(["eval", s])
    assert (status, err) == (0, ""), err


# ---- F04: a thousand scenarios -----------------------------------------------------------------------------------------
def many_scenarios(folder: Path, n: int = 1000, expect: bool = False) -> list[Path]:
    shutil.copyfile(PACT, folder / "pact.treaty")
    block = "expect:\n  breaches: []\n" if expect else ""
    return [scenario(folder / f"s{i:04d}.yaml", f"title: case {i}\ntreaty: pact.treaty\nevents: []\n{block}")
            for i in range(n)]


def test_f04_a_thousand_scenarios_one_treaty_load_no_file_left_open(tmp_path, monkeypatch):
    paths = many_scenarios(tmp_path)
    built, parse = [], treatylang.parse_treaty
    monkeypatch.setattr(treatylang, "parse_treaty", lambda text, name="<string>", **kw: built.append(name) or
                        parse(text, name, **kw))
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    status, out, err = cli(["eval", *paths], memory=256 * 2**20)
    assert (status, err) == (0, ""), err[-2000:]
    assert built == [str(tmp_path / "pact.treaty")]
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before
    paths[500].write_text("title: x\ntreaty: pact.treaty\nevents: [{type: nothing}]\n")
    refused(*cli(["eval", *paths], memory=256 * 2**20), file=paths[500], line=3)


def test_f04_treaty_test_on_a_thousand_cases_with_few_file_descriptors(tmp_path):
    many_scenarios(tmp_path, expect=True)
    status, out, err = process(["test", tmp_path], tmp_path, tmp_path, limit_files=64)
    assert (status, err) == (0, ""), err[-2000:]
    assert out.endswith("1000 passed, 0 failed\n")


# ---- D02, D15: the loader's memory is bounded by the file's size ------------------------------------------------------
def test_d02_reading_a_large_file_costs_a_few_times_its_size(tmp_path):
    path = tmp_path / "large.treaty"
    path.write_bytes(b"# " + b"x" * (files.MAX_BYTES - 10) + b"\n")
    tracemalloc.start()
    try:
        text = files.read_text(str(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(text) == files.MAX_BYTES - 7
    assert peak < 4 * files.MAX_BYTES


def test_d02_a_file_too_large_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.truncate(50_000_000)  # sparse: 50 MB that take no room
    tracemalloc.start()
    try:
        with pytest.raises(TreatyError) as info:
            files.read_bytes(str(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.diagnostics[0].message == "file is too large (50,000,000 bytes; the limit is 5,000,000)"
    assert peak < 1_000_000
