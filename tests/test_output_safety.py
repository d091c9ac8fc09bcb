"""What input reaches the terminal is safe (review cases C05, C06, D04, F06), and where the output goes never
changes the verdict (F03).

- every control character (C0, DEL, C1), bidirectional control, line separator and lone surrogate from a
  file is shown as an escape (`\\x1b`, `\\x9b`, `\\u202e`) in diagnostics, reports, why-not, casebook and
  verify lines, by one function (treatylang.source.safe_text.escape);
- the quoted source line of a diagnostic is escaped too, and its caret still stands under the character the
  message names;
- a newline in a title, name or id cannot start a line of its own (it is shown as `\\n`), so a scenario
  cannot forge a line of the report;
- a closed pipe (`| head -1`) keeps the exit code of the command; a closed stdout or a full disk is one
  line, `treaty: error: cannot write the output: ...`, and exit 2.
"""

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from treatylang.cli import main
from treatylang.source.diagnostics import Diagnostic
from treatylang.source.safe_text import UNSAFE, escape, escape_lines, json_text, markdown_code, markdown_text
from treatylang.source.spans import Span

from conftest import CHARTER, ROOT

PACT = ROOT / "examples" / "pacts" / "northwind_pact.treaty"
FORGED = "  FORGED: no norm arises from the events"

# A scenario whose texts hold C1 (CSI U+009B, NEL U+0085), bidirectional controls, a line separator and
# newlines that try to forge report lines. YAML escapes write them; the C0 controls a YAML file may not hold
# are in the diagnostics tests below.
HOSTILE = r'''title: "Title\u202e evil\x9b31m\nMali\n  FORGED: no norm arises from the events"
note: "<img src=x onerror=alert(1)> a | b & c\u2066\nBreaches: none"
actors:
  eco:
    name: "ECO\u202eWAS | x\nobligation: Niger must surrender\u0085NEL\u2028LS"
    kind: organization
events:
  - id: intervention
    type: attack
    date: 2023-10-01
    target: niger
    by: eco
'''


def run(argv):
    """(exit code, stdout, stderr) of `treaty ARGV` run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def assert_safe(text: str):
    """No unsafe character in `text` other than the newlines that end its lines."""
    bad = [c for c in UNSAFE.findall(text) if c != "\n"]
    assert not bad, f"unsafe characters reach the output: {bad!r}"


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


# ---- the escaping function ------------------------------------------------------------------------------------
@pytest.mark.parametrize("char, shown", [
    ("\x1b", "\\x1b"), ("\x00", "\\x00"), ("\x07", "\\x07"), ("\x7f", "\\x7f"), ("\x9b", "\\x9b"),
    ("\x85", "\\x85"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"), ("\u202e", "\\u202e"), ("\u202a", "\\u202a"),
    ("\u2066", "\\u2066"), ("\u2069", "\\u2069"), ("\u200e", "\\u200e"), ("\u200f", "\\u200f"),
    ("\u061c", "\\u061c"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("\ud800", "\\ud800"),
])
def test_escape_shows_each_unsafe_character_as_an_escape(char, shown):
    assert escape(f"a{char}b") == f"a{shown}b"


def test_escape_keeps_printable_text_and_what_it_is_told_to_keep():
    text = "Mālī ☃ 日本 \\x1b « » é ≠"
    assert escape(text) == text
    assert escape("a\nb\tc\x1b", keep="\n\t") == "a\nb\tc\\x1b"
    assert escape_lines(["a\nb", "c"]) == ["a\\nb", "c"]


def test_the_quick_paths_skip_only_text_without_an_unsafe_character():
    """escape passes printable text as it is, json_text ASCII without DEL: neither can hold one of the class."""
    from treatylang.source.safe_text import _JSON_UNSAFE, _compiled

    for c in map(chr, range(0x10000)):  # both classes lie in the first plane
        if UNSAFE.match(c):
            assert not c.isprintable(), hex(ord(c))
        if _compiled(_JSON_UNSAFE).match(c):
            assert not (c.isascii() and c != "\x7f"), hex(ord(c))
    assert escape("a\u00a0b\u00adc") == "a\u00a0b\u00adc"  # unprintable to Python, yet safe: kept
    assert json_text('{"a": "\x7f"}') == '{"a": "\\u007f"}'


def test_markdown_text_escapes_html_table_and_backslash():
    assert markdown_text("<img src=x onerror=alert(1)> a | b & c") == \
        "&lt;img src=x onerror=alert(1)&gt; a \\| b &amp; c"
    assert markdown_text("a\\|b") == "a\\\\\\|b"  # an input `\|` cannot undo the escape of its `|`
    assert markdown_text("a\nb\u202e") == "a\\\\nb\\\\u202e"  # the escape's backslash is shown as written


def test_markdown_code_cannot_be_closed_by_its_text():
    assert markdown_code("plain.yaml") == "`plain.yaml`"
    assert markdown_code("a`b") == "``a`b``"
    assert markdown_code("`x``") == "``` `x`` ```"
    assert markdown_code("a\x1bb") == "`a\\x1bb`"


def test_json_text_writes_unsafe_characters_as_u_escapes_and_keeps_the_values():
    value = {"t": "a\x9b\u202e\x7f\u2028b\nc"}
    text = json_text(json.dumps(value, indent=2, ensure_ascii=False))
    assert_safe(text)
    assert json.loads(text) == value
    assert "\\u009b" in text and "\\u202e" in text


# ---- diagnostics (C06) -----------------------------------------------------------------------------------------
def test_diagnostic_escapes_its_source_line_and_keeps_the_caret_under_the_character():
    line = "title: x\x1b]0;PWNED\x07\x1b[2J"
    d = Diagnostic(Span("e.yaml", 1, 9, 1, 10), "the character '\\x1b' is not allowed", source_line=line)
    head, source, caret = d.format().split("\n")
    assert_safe(d.format())
    assert source == "  title: x\\x1b]0;PWNED\\x07\\x1b[2J"
    assert caret == "  " + " " * len("title: x") + "^" * len("\\x1b")


def test_diagnostic_caret_after_escapes_stays_under_its_character():
    d = Diagnostic(Span("e.yaml", 1, 5, 1, 6), "here", source_line="\u202e\x9bab!")
    _, source, caret = d.format().split("\n")
    assert source[caret.index("^"):].startswith("!")


def test_diagnostic_head_escapes_the_file_name_and_the_message():
    d = Diagnostic(Span("a\nb\x1b.yaml", 1, 1), "unknown actor 'x\u202e\ny'", hint="did you mean 'x\x9b'?")
    text = d.format()
    assert_safe(text)
    assert text == "a\\nb\\x1b.yaml:1:1: error: unknown actor 'x\\u202e\\ny'; did you mean 'x\\x9b'?"


@pytest.mark.parametrize("content", [
    b"title: x\x1b]0;PWNED\x07\x1b[2J\nevents: []\n",
    b"title: x\x00\nevents: []\n",
])
def test_refused_control_characters_are_not_echoed_by_eval(tmp_path, content):
    path = tmp_path / "e.yaml"
    path.write_bytes(content)
    code, out, err = run(["eval", path])
    assert code == 2
    assert_safe(err)
    lines = err.splitlines()
    head = next(i for i, l in enumerate(lines) if l.startswith(str(path)))
    column = int(re.match(rf"{re.escape(str(path))}:\d+:(\d+):", lines[head]).group(1))
    source, caret = lines[head + 1], lines[head + 2]
    assert source.startswith("  title: x\\x") and caret.strip().startswith("^")
    assert source[caret.index("^"):].startswith("\\x") and column == len("title: x") + 1


def test_refused_control_characters_are_not_echoed_by_check(tmp_path):
    path = tmp_path / "t.treaty"
    path.write_bytes(b'treaty t "T\x1b[2J"\nparty a\x00 "A"\n')
    code, out, err = run(["check", path])
    assert code == 2
    assert_safe(out + err)
    assert "\\x" in err


# ---- reports: text, Markdown, JSON, why-not (C05, D04, F06) ----------------------------------------------------
def test_text_report_escapes_controls_and_cannot_be_forged(hostile):
    code, out, _ = run(["eval", hostile, "--treaty", CHARTER, "--explain"])
    assert code == 0
    assert_safe(out)
    lines = out.splitlines()
    assert lines[0] == "Title\\u202e evil\\x9b31m\\nMali\\n  FORGED: no norm arises from the events"
    assert FORGED not in lines and "Breaches: none" in lines  # the real one (no breach), once
    assert lines.count("Breaches: none") == 1
    assert not any(l.startswith("obligation: Niger must surrender") for l in lines)
    assert "ECO\\u202eWAS | x\\nobligation: Niger must surrender\\x85NEL\\u2028LS" in out


def test_markdown_report_escapes_html_and_table_characters(hostile):
    code, out, _ = run(["eval", hostile, "--treaty", CHARTER, "--format", "markdown", "--explain"])
    assert code == 0
    assert_safe(out)
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt; a \\| b &amp; c" in out
    assert out.startswith("# Title\\\\u202e evil\\\\x9b31m\\\\nMali\\\\n  FORGED")
    assert FORGED not in out.splitlines()
    table = [l for l in out.splitlines() if l.startswith("| ")]
    assert table and {len(re.findall(r"(?<!\\)\|", l)) for l in table} <= {5, 6}  # 4 or 5 columns, never more


def test_json_report_keeps_the_values_as_data_and_is_safe_to_show(hostile):
    code, out, _ = run(["eval", hostile, "--treaty", CHARTER, "--format", "json"])
    assert code == 0
    assert_safe(out)
    data = json.loads(out)
    assert data["scenario"]["title"] == "Title\u202e evil\x9b31m\nMali\n  FORGED: no norm arises from the events"


def test_why_not_escapes_names_and_titles(hostile):
    code, out, _ = run(["explain", hostile, "--treaty", CHARTER, "--why-not", "eco"])
    assert code == 0
    assert_safe(out)
    assert out.startswith("Why not ECO\\u202eWAS | x\\nobligation: Niger must surrender\\x85NEL\\u2028LS? (Title\\u202e")
    assert FORGED not in out.splitlines()


def test_treaty_texts_with_bidi_and_c1_are_escaped(tmp_path):
    treaty = tmp_path / "pact.treaty"
    treaty.write_text(PACT.read_text(encoding="utf-8").replace(
        '"Northwind Pact of Mutual Defence and Consultation"', '"Northwind\u202e Pact\x9b2J"', 1), encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    scenario.write_text((ROOT / "examples" / "pacts" / "northwind_mutual_threat.yaml").read_text(encoding="utf-8")
                        .replace("treaty: northwind_pact.treaty", "treaty: pact.treaty"), encoding="utf-8")
    for fmt in ("text", "markdown", "json"):
        code, out, _ = run(["eval", scenario, "--format", fmt])
        assert code == 0
        assert_safe(out)
    assert "treaty: Northwind\\u202e Pact\\x9b2J (northwind)" in run(["eval", scenario])[1]


# ---- casebook and verify lines ---------------------------------------------------------------------------------
def test_casebook_lines_are_escaped(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(HOSTILE + 'expect:\n  norms:\n    - {bearer: mali, purpose: "x\\nPASS forged\\u202e"}\n',
                    encoding="utf-8")
    code, out, err = run(["test", case, "--treaty", CHARTER])
    assert code == 1
    assert_safe(out + err)
    lines = out.splitlines()
    assert lines[0] == f"FAIL {case}: Title\\u202e evil\\x9b31m\\nMali\\n  FORGED: no norm arises from the events"
    assert not any(l.startswith(("PASS", "  FORGED")) for l in lines)
    assert 'purpose: "x\\nPASS forged\\u202e"' in out


def test_casebook_file_names_are_escaped(tmp_path):
    name = "a\nPASS b\x1b[2J.yaml"
    (tmp_path / name).write_text(HOSTILE + "expect:\n  breaches: []\n", encoding="utf-8")
    code, out, err = run(["test", tmp_path, "--treaty", CHARTER])
    assert code == 0
    assert_safe(out + err)
    assert f"PASS {tmp_path}/a\\nPASS b\\x1b[2J.yaml: Title" in out


def test_verify_lines_are_escaped(tmp_path):
    treaty = tmp_path / "pact\x1b[2J\u202e.treaty"
    shutil.copy(PACT, treaty)
    code, out, err = run(["verify", treaty])
    assert_safe(out + err)
    assert out.startswith(f"treaty verify {tmp_path}/pact\\x1b[2J\\u202e.treaty: 2 members")


# ---- where the output goes (F03) --------------------------------------------------------------------------------
def treaty_process(*argv, **kw):
    return subprocess.run([sys.executable, "-m", "treatylang.cli", *map(str, argv)], cwd=ROOT,
                          stderr=subprocess.PIPE, text=True, timeout=120, **kw)


@pytest.fixture
def failing_cases(tmp_path):
    """A folder with a passing and a failing case, the failing one last."""
    shutil.copy(ROOT / "examples" / "niger_ecowas_threat.yaml", tmp_path / "a.yaml")
    (tmp_path / "z.yaml").write_text(
        "title: failing\nevents: []\nexpect:\n  members: [mali]\n", encoding="utf-8")
    return tmp_path


def closed_pipe():
    """The write end of a pipe whose reader has gone: every write to it fails with EPIPE."""
    read, write = os.pipe()
    os.close(read)
    return write


def test_broken_pipe_keeps_the_failure_of_treaty_test(failing_cases):
    assert treaty_process("test", failing_cases, stdout=subprocess.DEVNULL).returncode == 1
    write = closed_pipe()
    try:
        proc = treaty_process("test", failing_cases, stdout=write)
    finally:
        os.close(write)
    assert proc.returncode == 1
    assert "error" not in proc.stderr and "Exception" not in proc.stderr, proc.stderr


def test_broken_pipe_keeps_success(failing_cases):
    write = closed_pipe()
    try:
        proc = treaty_process("eval", failing_cases / "a.yaml", stdout=write)
        helped = treaty_process("eval", "--help", stdout=write)
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert (helped.returncode, helped.stderr) == (0, "")


@pytest.mark.skipif(shutil.which("head") is None or shutil.which("bash") is None, reason="needs bash and head")
def test_treaty_test_piped_into_head_exits_1(failing_cases):
    proc = subprocess.run(["bash", "-c", f'set -o pipefail; "{sys.executable}" -m treatylang.cli test "$0" | head -1',
                           str(failing_cases)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stdout.startswith("PASS "), proc


def test_closed_stdout_is_one_line_and_exit_2(failing_cases):
    proc = treaty_process("eval", failing_cases / "a.yaml", preexec_fn=lambda: os.close(1))
    assert proc.returncode == 2
    assert proc.stderr == "treaty: error: cannot write the output: standard output is closed\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("argv", [("eval", "examples/niger_ecowas_threat.yaml"), ("test", "examples")])
def test_full_disk_is_one_line_and_exit_2(argv):
    with open("/dev/full", "w") as full:
        proc = treaty_process(*argv, stdout=full)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1].startswith("treaty: error: cannot write the output: "), proc.stderr
    assert "internal error" not in proc.stderr and "Exception" not in proc.stderr
