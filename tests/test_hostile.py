"""Hostile input: every malformed scenario or treaty file is a located TreatyError, never anything else.

Each case goes through the public loaders (`load_scenario`, `load_treaty`, `parse_treaty`) and checks
that the error carries a file, a line >= 1, a column >= 1 and a message, and where it makes sense that
the line and column point at the problem. Nothing in the input may run, and every case must end
in bounded time and memory.
"""

import json
import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

import treatylang
from treatylang import TreatyError
from treatylang.cli import main
from treatylang.source.diagnostics import SHOWN_LINE
from treatylang.source.safe_text import escape
from treatylang.source.spans import TREATY_LINE_BREAKS, YAML_LINE_BREAKS

from conftest import CHARTER, ECOWAS_SCENARIO

CHARTER_TEXT = CHARTER.read_text(encoding="utf-8")

VALID_SCENARIO = ECOWAS_SCENARIO

# Generous: these inputs are refused in well under a second; the bound only catches a hang or a blow-up.
TIME_LIMIT = 10.0


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory):
    """Parsed treaties go to a cache of this module's own, not the user's (hostile files would pile up there)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


# ---- helpers -------------------------------------------------------------------------------
def assert_located(err: TreatyError, file=None) -> list:
    """Every diagnostic names a file, a line and a column (1-based) and says something."""
    assert isinstance(err, TreatyError)
    assert err.diagnostics, "a TreatyError must carry at least one diagnostic"
    for d in err.diagnostics:
        assert d.span.file, d
        assert isinstance(d.span.line, int) and d.span.line >= 1, d
        assert isinstance(d.span.column, int) and d.span.column >= 1, d
        assert d.message and d.message.strip(), d
        head = d.format().splitlines()[0]
        assert head.startswith(f"{escape(d.span.file)}:{d.span.line}:{d.span.column}: {d.severity}: "), head
        if file is not None:
            assert d.span.file == str(file), (d.span.file, file)
    assert err.errors, "at least one diagnostic is an error"
    return err.diagnostics


def write(tmp_path, name, content) -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def scenario_error(tmp_path, content, charter, name="bad.yaml") -> list:
    path = write(tmp_path, name, content)
    start = time.monotonic()
    with pytest.raises(TreatyError) as info:
        treatylang.load_scenario(path, charter)
    assert time.monotonic() - start < TIME_LIMIT
    return assert_located(info.value, file=path)


def treaty_error(tmp_path, content, name="bad.treaty") -> list:
    path = write(tmp_path, name, content)
    start = time.monotonic()
    with pytest.raises(TreatyError) as info:
        treatylang.load_treaty(path)
    assert time.monotonic() - start < TIME_LIMIT
    return assert_located(info.value, file=path)


def text_error(text, filename="bad.treaty") -> list:
    start = time.monotonic()
    with pytest.raises(TreatyError) as info:
        treatylang.parse_treaty(text, filename)
    assert time.monotonic() - start < TIME_LIMIT
    return assert_located(info.value, file=filename)


def first(diagnostics):
    return diagnostics[0]


def at(d, line, column=None):
    assert d.span.line == line, d.format()
    if column is not None:
        assert d.span.column == column, d.format()


def billion_laughs(levels=9) -> str:
    lines = ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# ---- empty ----------------------------------------------------------------------------------
@pytest.mark.parametrize("content", ["", "\n\n   \n", "# only a comment\n", "---\n", "\ufeff"])
def test_scenario_empty(tmp_path, charter, content):
    d = first(scenario_error(tmp_path, content, charter))
    assert "empty" in d.message or "mapping" in d.message
    assert d.span.line <= content.count("\n") + 1 and d.span.column == 1


@pytest.mark.parametrize("content", ["", "\n\n   \n", "# only a comment\n", "\ufeff"])
def test_treaty_empty(tmp_path, content):
    d = first(treaty_error(tmp_path, content))
    assert "empty" in d.message
    at(d, 1, 1)
    assert first(text_error(content)).message == d.message


def test_treaty_without_header_party_or_article(tmp_path):
    d = first(treaty_error(tmp_path, '# vocabulary only\nevent e(x: actor)\n'))
    assert "header" in d.message
    at(d, 2, 1)


# ---- not YAML / not the treaty language -----------------------------------------------------
def test_scenario_not_yaml(tmp_path, charter):
    d = first(scenario_error(tmp_path, "title: x\nevents: [unclosed\n  : : :\n", charter))
    assert d.message.startswith("not valid YAML")
    assert d.span.line in (2, 3)


def test_scenario_bad_indentation(tmp_path, charter):
    d = first(scenario_error(tmp_path, "title: x\nevents:\n  - type: attack\n date: 2023-10-01\n", charter))
    assert "YAML" in d.message
    at(d, 4)


def test_scenario_tab_indentation(tmp_path, charter):
    d = first(scenario_error(tmp_path, "title: x\n\tevents: []\n", charter))
    assert "YAML" in d.message
    at(d, 2)


@pytest.mark.parametrize("content, what", [
    ("just a sentence\n", "'just a sentence'"),
    ("- a\n- b\n", "a list"),
    ("~\n", "nothing"),
])
def test_scenario_not_a_mapping(tmp_path, charter, content, what):
    d = first(scenario_error(tmp_path, content, charter))
    assert "must be a mapping" in d.message and what in d.message
    at(d, 1, 1)


def test_scenario_two_documents(tmp_path, charter):
    d = first(scenario_error(tmp_path, "title: a\nevents: []\n---\ntitle: b\nevents: []\n", charter))
    at(d, 3, 1)


def test_scenario_duplicate_key(tmp_path, charter):
    d = first(scenario_error(tmp_path, "title: a\nevents: []\ntitle: b\n", charter))
    assert "duplicate key 'title'" in d.message
    at(d, 3, 1)


@pytest.mark.parametrize("key", ["~", "[a, b]", "{a: b}"])
def test_scenario_key_that_is_not_a_name(tmp_path, charter, key):
    d = first(scenario_error(tmp_path, f"title: a\nevents: []\n? {key}\n: x\n", charter))
    assert "key" in d.message
    at(d, 3)


def test_scenario_undefined_alias(tmp_path, charter):
    d = first(scenario_error(tmp_path, "title: *nowhere\nevents: []\n", charter))
    assert "alias" in d.message
    at(d, 1, 8)


def test_scenario_alias_to_itself(tmp_path, charter):
    d = first(scenario_error(tmp_path, "title: x\nevents: []\nnote: &a [*a]\n", charter))
    at(d, 3)


def test_treaty_given_a_yaml_file(tmp_path):
    d = first(treaty_error(tmp_path, VALID_SCENARIO))
    assert "unexpected" in d.message
    at(d, 1, 1)


@pytest.mark.parametrize("text, line, column", [
    ('treaty x "t"\n@\n', 2, 1),
    ('treaty x "t"\nparty mali\n', 2, None),          # ends too early
    ('treaty x "t\n', 1, 10),                         # unterminated text
    ('treaty x """t\n\nparty a "A"\n', 1, None),      # unterminated long text
    ('treaty x "t"\nparty mali "Mali"\nparty party party\n', 3, 13),  # a party named party
    ('treaty x "t"\u00a0signed 2023-09-16\n', 1, 13),   # a no-break space
])
def test_treaty_syntax_errors(tmp_path, text, line, column):
    d = first(treaty_error(tmp_path, text))
    at(d, line, column)
    assert first(text_error(text)).span.line == line


def test_treaty_ending_too_early(tmp_path):
    d = first(treaty_error(tmp_path, 'treaty x "t"\nparty mali\n'))
    assert d.message.startswith("unexpected end of file; expected a quoted text")


def test_treaty_many_syntax_errors_are_bounded(tmp_path):
    text = 'treaty x "t"\n' + "party party party\n" * 5000
    diagnostics = treaty_error(tmp_path, text)
    assert 1 <= len(diagnostics) <= 20
    assert [d.span.line for d in diagnostics] == sorted({d.span.line for d in diagnostics})


@pytest.mark.parametrize("clause, needle", [
    ("signed 2023-13-45", "not a valid date"),
    ("signed 9999-99-99", "not a valid date"),
    ("in force 99999999999999999999 days after 3 e events", "too large"),
])
def test_treaty_bad_values_in_the_header(tmp_path, clause, needle):
    d = first(treaty_error(tmp_path, f'treaty x "t" {clause}\nparty a "A"\nevent e(x: actor)\n'))
    assert needle in d.message
    at(d, 1)


def test_treaty_number_with_thousands_of_digits(tmp_path):
    text = CHARTER_TEXT.replace("6 months after", "9" * 5000 + " months after")
    line = text[: text.index("9" * 5000)].count("\n") + 1
    d = first(treaty_error(tmp_path, text))
    assert "too large" in d.message and len(d.message) < 200
    at(d, line)


def test_treaty_two_headers(tmp_path):
    d = first(treaty_error(tmp_path, 'treaty x "t"\nparty a "A"\ntreaty y "u"\n'))
    assert "second treaty header" in d.message
    at(d, 3, 1)


# ---- invalid UTF-8 --------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80"])
def test_scenario_invalid_utf8(tmp_path, charter, bad):
    d = first(scenario_error(tmp_path, b"title: x\nnote: ab" + bad + b"cd\nevents: []\n", charter))
    assert "UTF-8" in d.message
    at(d, 2, 9)


@pytest.mark.parametrize("bad", [b"\xff", b"\xc3\x28", b"\xed\xa0\x80"])
def test_treaty_invalid_utf8(tmp_path, bad):
    d = first(treaty_error(tmp_path, b'treaty x "t"\nparty a "A' + bad + b'"\n'))
    assert "UTF-8" in d.message
    at(d, 2, 11)


def test_utf16_files(tmp_path, charter):
    assert "UTF-8" in first(scenario_error(tmp_path, VALID_SCENARIO.encode("utf-16"), charter)).message
    assert "UTF-8" in first(treaty_error(tmp_path, CHARTER_TEXT.encode("utf-16"))).message


# ---- deeply nested --------------------------------------------------------------------------
def test_scenario_10000_deep_list(tmp_path, charter):
    tracemalloc.start()
    try:
        d = first(scenario_error(tmp_path, "title: x\nevents: []\nnote: " + "[" * 10_000 + "]" * 10_000 + "\n", charter))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "nested too deeply" in d.message
    at(d, 3)
    assert 7 < d.span.column < 200  # where the nesting goes too deep, not the start of the line
    assert peak < 50_000_000


def test_scenario_deep_mapping(tmp_path, charter):
    d = first(scenario_error(tmp_path, "title: x\nevents: []\nnote: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", charter))
    assert "nested too deeply" in d.message
    at(d, 3)


def test_scenario_deep_block_nesting(tmp_path, charter):
    text = "title: x\nevents: []\nnote:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 3000))
    d = first(scenario_error(tmp_path, text, charter))
    assert "nested too deeply" in d.message
    assert 3 < d.span.line < 200


def test_scenario_alias_deepens_nesting(tmp_path, charter):
    """An alias counts as deep as the collection it names."""
    deep = "[" * 40 + "]" * 40
    d = first(scenario_error(tmp_path, f"title: x\nevents: []\nnote: &d {deep}\nexpect: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*d]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", charter))
    assert "nested too deeply" in d.message
    at(d, 4)


def test_treaty_5000_nested_parentheses(tmp_path):
    d = first(treaty_error(tmp_path, 'treaty x "t"\nevent e(' + "(" * 5000 + ")" * 5000 + ")\n"))
    at(d, 2, 9)
    assert "unexpected '('" in d.message


def test_treaty_5000_nested_parentheses_in_a_rule(tmp_path):
    text = CHARTER_TEXT + "\narticle 99\n  rule r:\n    when attack(target: " + "(" * 5000 + "V" + ")" * 5000 + ")\n"
    d = first(treaty_error(tmp_path, text))
    at(d, CHARTER_TEXT.count("\n") + 4, 25)


def test_treaty_deeply_nested_conditions(tmp_path):
    """`either` is the grammar's one recursive form: nesting it 3000 deep is an error, not a RecursionError."""
    k = 3000
    text = (CHARTER_TEXT + "\narticle 99\n  rule r:\n    when attack(target: V)\n    where "
            + "either " * k + "V is a member" + " or V is a member" * k + "\n    V must assist V\n")
    d = first(treaty_error(tmp_path, text))
    assert "nested too deeply" in d.message
    at(d, CHARTER_TEXT.count("\n") + 5)


def test_treaty_nested_conditions_below_the_limit_load():
    k = 50
    text = (CHARTER_TEXT + "\narticle 99\n  rule r:\n    when attack(target: V)\n    where "
            + "either " * k + "V is a member" + " or V is a member" * k + "\n    V must assist V\n")
    assert "r" in {r.name for r in treatylang.parse_treaty(text, "deep.treaty").syntax.rules}


# ---- alias bombs ----------------------------------------------------------------------------
def test_scenario_billion_laughs(tmp_path, charter):
    tracemalloc.start()
    try:
        diagnostics = scenario_error(tmp_path, "title: x\nevents: []\n" + billion_laughs(), charter)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    d = first(diagnostics)
    assert "aliases" in d.message
    assert d.span.line > 3  # at an alias that expands too far, not at the top
    assert peak < 50_000_000


def test_scenario_alias_bomb_inside_events(tmp_path, charter):
    """A bomb where the validator would walk it: each event repeated through aliases."""
    text = ("title: x\nactors: &e\n  - {type: attack, date: 2023-10-01, target: niger, by: mali}\n"
            + "".join(f"note{i}: &e{i} [" + ", ".join(["*e" if i == 0 else f"*e{i - 1}"] * 20) + "]\n" for i in range(6))
            + "events: *e5\n")
    d = first(scenario_error(tmp_path, text, charter))
    assert "aliases" in d.message


def test_scenario_aliases_within_the_limit_load(tmp_path, charter):
    path = write(tmp_path, "ok.yaml",
                 "title: x\nactors:\n  ecowas: &org {name: ECOWAS, kind: organization}\n  au: *org\n"
                 "events:\n  - &ev {type: attack, date: 2023-10-01, target: niger, by: ecowas}\n  - *ev\n")
    scenario = treatylang.load_scenario(path, charter)
    assert [e.id for e in scenario.events] == ["e1", "e2"]
    assert set(scenario.actors) == {"ecowas", "au"}


# ---- python-object tags: nothing runs -------------------------------------------------------
PYTHON_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.check_call [['touch', '{marker}']]",
    "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_scenario_python_tags_are_refused_and_nothing_runs(tmp_path, charter, tag):
    marker = tmp_path / "PWNED"
    value = tag.format(marker=marker)
    d = first(scenario_error(tmp_path, f"title: x\nevents: []\nnote: {value}\n", charter))
    assert "not allowed" in d.message
    at(d, 3, 7)
    assert not marker.exists()


def test_scenario_python_tag_on_the_whole_document(tmp_path, charter):
    marker = tmp_path / "PWNED"
    d = first(scenario_error(tmp_path, f"!!python/object/apply:os.system ['touch {marker}']\n", charter))
    at(d, 1, 1)
    assert not marker.exists()


def test_scenario_python_tag_through_a_tag_directive(tmp_path, charter):
    marker = tmp_path / "PWNED"
    text = f"%TAG !p! tag:yaml.org,2002:python/\n---\ntitle: !p!object/apply:os.system ['touch {marker}']\nevents: []\n"
    d = first(scenario_error(tmp_path, text, charter))
    assert "not allowed" in d.message
    at(d, 3, 8)
    assert not marker.exists()


def test_treaty_python_tags_are_just_bad_syntax(tmp_path):
    marker = tmp_path / "PWNED"
    text = f'treaty x "t"\n!!python/object/apply:os.system ["touch {marker}"]\n'
    d = first(treaty_error(tmp_path, text))
    at(d, 2, 1)
    assert not marker.exists()


def test_scenario_control_characters_in_texts(tmp_path, charter):
    """Escapes that would reach a terminal (ESC, NUL) are refused where they are written."""
    d = first(scenario_error(tmp_path, 'title: "\\e[31mred"\nevents: []\n', charter))
    assert "U+001B" in d.message
    at(d, 1, 8)
    d = first(scenario_error(tmp_path, 'title: x\nevents: []\nnote: "a\\0b"\n', charter))
    at(d, 3, 7)


def test_treaty_control_characters_in_texts(tmp_path):
    d = first(treaty_error(tmp_path, 'treaty x "t\x1b[31m"\n'))
    assert "U+001B" in d.message
    at(d, 1, 12)


# ---- huge -----------------------------------------------------------------------------------
def test_scenario_huge_file(tmp_path, charter):
    d = first(scenario_error(tmp_path, "title: x\nevents: []\nnote: " + "a" * 6_000_000 + "\n", charter))
    assert "too large" in d.message
    at(d, 1, 1)


def test_treaty_huge_file(tmp_path):
    d = first(treaty_error(tmp_path, CHARTER_TEXT + "# " + "x" * 6_000_000 + "\n"))
    assert "too large" in d.message
    at(d, 1, 1)


def test_endless_device_is_refused_before_it_is_read(charter):
    """A device whose size says 0 but which never ends: refused for what it is, before any read (C11)."""
    for load in (lambda p: treatylang.load_scenario(p, charter), treatylang.load_treaty):
        with pytest.raises(TreatyError) as info:
            load("/dev/zero")
        assert first(assert_located(info.value, file="/dev/zero")).message == \
            "is a character device, not a regular file"


def test_scenario_too_many_values(tmp_path, charter):
    """A large file under the byte limit: refused at its 200,000th value, quickly."""
    text = "title: x\nevents:\n" + "  - {type: attack, date: 2023-10-01, target: niger, by: mali}\n" * 30_000
    d = first(scenario_error(tmp_path, text, charter))
    assert "more than" in d.message
    assert d.span.line > 1000


def test_scenario_1mb_single_line_value_loads(tmp_path, charter):
    path = write(tmp_path, "long.yaml", "title: x\nevents: []\nnote: " + "a" * 1_000_000 + "\n")
    assert len(treatylang.load_scenario(path, charter).note) == 1_000_000


def test_scenario_1mb_single_line_of_garbage(tmp_path, charter):
    d = first(scenario_error(tmp_path, "title: x\nevents: [" + "]:{" * 350_000 + "\n", charter))
    at(d, 2)
    assert len(d.message) < 300


@pytest.mark.parametrize("line", [
    'treaty x "t" ' + "a " * 500_000,        # a megabyte of unexpected names: recovery gives up early
    'treaty x "t" ' + "@" * 1_000_000,
    'treaty x "' + "a" * 1_000_000,          # an unterminated text
    "party " + "a" * 1_000_000,
    'treaty x "t" ' + "a" * 1_000_000,      # one unexpected name of a megabyte
], ids=["many_names", "bad_characters", "unterminated_text", "long_party_name", "one_long_name"])
def test_treaty_1mb_single_line(tmp_path, line):
    diagnostics = treaty_error(tmp_path, line + "\n")
    assert all(d.span.line == 1 for d in diagnostics if "header" not in d.message)
    assert all(len(d.message) < 500 for d in diagnostics)


def test_treaty_1mb_text_loads(tmp_path):
    path = write(tmp_path, "long.treaty", CHARTER_TEXT.replace('"Bamako"', '"' + "B" * 1_000_000 + '"'))
    assert treatylang.load_treaty(path).syntax.header.place == "B" * 1_000_000


# ---- a directory, a missing file, an unreadable name ----------------------------------------
def test_scenario_is_a_directory(tmp_path, charter):
    with pytest.raises(TreatyError) as info:
        treatylang.load_scenario(tmp_path, charter)
    d = first(assert_located(info.value, file=tmp_path))
    assert "directory" in d.message


def test_treaty_is_a_directory(tmp_path):
    with pytest.raises(TreatyError) as info:
        treatylang.load_treaty(tmp_path)
    d = first(assert_located(info.value, file=tmp_path))
    assert "directory" in d.message


def test_scenario_missing(tmp_path, charter):
    with pytest.raises(TreatyError) as info:
        treatylang.load_scenario(tmp_path / "nope.yaml", charter)
    assert "no such file" in first(assert_located(info.value, file=tmp_path / "nope.yaml")).message


def test_treaty_missing(tmp_path):
    with pytest.raises(TreatyError) as info:
        treatylang.load_treaty(tmp_path / "nope.treaty")
    assert "no such file" in first(assert_located(info.value, file=tmp_path / "nope.treaty")).message


@pytest.mark.parametrize("name", ["a\x00b.yaml", "x" * 5000 + ".yaml", ""])
def test_unusable_file_names(tmp_path, charter, name):
    for load in (lambda p: treatylang.load_scenario(p, charter), treatylang.load_treaty):
        with pytest.raises(TreatyError) as info:
            load(str(tmp_path / name) if name else name)
        assert_located(info.value)


def test_scenario_pointing_at_a_missing_treaty(tmp_path):
    path = write(tmp_path, "s.yaml", "title: x\ntreaty: nope.treaty\nevents: []\n")
    with pytest.raises(TreatyError) as info:
        treatylang.load_scenario(path)
    d = first(assert_located(info.value))
    assert d.message == (f"no treaty file at {tmp_path.resolve() / 'nope.treaty'} (a `treaty:` path is read from the "
                         "folder of the scenario that names it)")
    assert (d.span.file, d.span.line, d.span.column) == (str(path), 2, 9)


@pytest.mark.parametrize("value", ["[a, b]", "{a: b}", '"a\\0b"'])
def test_scenario_treaty_key_that_is_not_a_path(tmp_path, value):
    path = write(tmp_path, "s.yaml", f"title: x\ntreaty: {value}\nevents: []\n")
    with pytest.raises(TreatyError) as info:
        treatylang.load_scenario(path)
    assert_located(info.value)


def test_scenario_pointing_at_a_bad_treaty(tmp_path):
    write(tmp_path, "bad.treaty", 'treaty x "t"\nparty (\n')
    path = write(tmp_path, "s.yaml", "title: x\ntreaty: bad.treaty\nevents: []\n")
    with pytest.raises(TreatyError) as info:
        treatylang.load_scenario(path)
    d = first(assert_located(info.value, file=tmp_path / "bad.treaty"))
    at(d, 2, 7)


def test_scenario_pointing_at_itself_as_its_treaty(tmp_path):
    """Not a treaty file: said at the `treaty:` key (C12)."""
    path = write(tmp_path, "s.yaml", "title: x\ntreaty: s.yaml\nevents: []\n")
    with pytest.raises(TreatyError) as info:
        treatylang.load_scenario(path)
    d = first(assert_located(info.value, file=path))
    at(d, 2, 9)
    assert "named by `treaty:` is not a treaty file (line 1:" in d.message


# ---- NUL, BOM, line endings -----------------------------------------------------------------
def test_scenario_nul_byte(tmp_path, charter):
    d = first(scenario_error(tmp_path, b"title: x\nnote: ab\x00cd\nevents: []\n", charter))
    assert "U+0000" in d.message
    at(d, 2, 9)


def test_treaty_nul_byte(tmp_path):
    d = first(treaty_error(tmp_path, b'treaty x "t"\nparty a\x00 "A"\n'))
    assert "U+0000" in d.message
    at(d, 2, 8)
    d = first(treaty_error(tmp_path, b'treaty x "t\x00"\n'))  # inside a quoted text too
    at(d, 1, 12)
    at(first(text_error('treaty x "t"\x00')), 1, 13)


def test_scenario_bom_loads(tmp_path, charter):
    plain = treatylang.load_scenario(write(tmp_path, "a.yaml", VALID_SCENARIO), charter)
    bom = treatylang.load_scenario(write(tmp_path, "b.yaml", b"\xef\xbb\xbf" + VALID_SCENARIO.encode()), charter)
    assert bom.title == plain.title and [e.args for e in bom.events] == [e.args for e in plain.events]


def test_treaty_bom_loads(tmp_path):
    treaty = treatylang.load_treaty(write(tmp_path, "b.treaty", b"\xef\xbb\xbf" + CHARTER_TEXT.encode()))
    assert treaty.syntax.header.id == "aes"
    assert treatylang.parse_treaty("\ufeff" + CHARTER_TEXT, "b.treaty").syntax.header.id == "aes"


def test_bom_does_not_shift_columns(tmp_path, charter):
    d = first(scenario_error(tmp_path, "\ufefftitle: x\nevents: []\nnote: *nowhere\n", charter))
    at(d, 3, 7)
    d = first(treaty_error(tmp_path, '\ufefftreaty x "t" @\n'))
    at(d, 1, 14)


def _result(treaty, scenario):
    data = treatylang.evaluate(treaty, scenario).to_json()
    data["scenario"].pop("file", None)
    return json.dumps(data, sort_keys=True)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_scenario_crlf_and_cr_load_the_same(tmp_path, charter, newline):
    plain = treatylang.load_scenario(write(tmp_path, "lf.yaml", VALID_SCENARIO), charter)
    other = treatylang.load_scenario(write(tmp_path, "crlf.yaml", VALID_SCENARIO.replace("\n", newline)), charter)
    assert _result(charter, other) == _result(charter, plain)
    assert [(e.span.line, e.span.column) for e in other.events] == [(e.span.line, e.span.column) for e in plain.events]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_treaty_crlf_and_cr_load_the_same(tmp_path, charter, newline):
    other = treatylang.load_treaty(write(tmp_path, "crlf.treaty", CHARTER_TEXT.replace("\n", newline)))
    assert len(other.rules) == len(charter.rules)
    assert [r.span.line for r in other.syntax.rules] == [r.span.line for r in charter.syntax.rules]
    scenario = treatylang.load_scenario(write(tmp_path, "s.yaml", VALID_SCENARIO), charter)
    assert _result(other, scenario) == _result(charter, scenario)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_errors_in_crlf_files_are_located_by_line(tmp_path, charter, newline):
    text = VALID_SCENARIO.replace("target: Niger", "target: Nigr").replace("\n", newline)
    d = first(scenario_error(tmp_path, text, charter))
    at(d, 9, 13)
    assert d.source_line.strip() == "target: Nigr"
    text = CHARTER_TEXT.replace("depositary mali", "depositary @").replace("\n", newline)
    d = first(treaty_error(tmp_path, text))
    at(d, CHARTER_TEXT[: CHARTER_TEXT.index("depositary mali")].count("\n") + 1, 14)
    assert d.source_line.strip() == "depositary @"


# ---- several errors, reported together ------------------------------------------------------
SEVERAL_ERRORS = """title: several mistakes
as-of: 2023-10-01
events:
  - type: atack
    date: 2023-10-01
  - type: attack
    date: 2023-13-45
    target: nigerr
    by: mali
  - type: blockade
    date: 2023-10-01
    by: mali
"""


def test_scenario_reports_every_error_at_once(tmp_path, charter):
    path = write(tmp_path, "several.yaml", SEVERAL_ERRORS)
    with pytest.raises(TreatyError) as info:
        treatylang.load_scenario(path, charter)
    diagnostics = assert_located(info.value, file=path)
    found = {(d.span.line, d.span.column): d for d in diagnostics}
    assert len(diagnostics) == 5, "\n".join(d.format() for d in diagnostics)

    unknown_key = found[(2, 1)]
    assert "unknown key 'as-of'" in unknown_key.message and unknown_key.hint == "did you mean 'as_of'?"
    unknown_type = found[(4, 11)]
    assert "unknown event type 'atack'" in unknown_type.message and unknown_type.hint == "did you mean 'attack'?"
    bad_date = found[(7, 11)]
    assert "date" in bad_date.message and "2023-13-45" in bad_date.message
    unknown_actor = found[(8, 13)]
    assert "unknown actor 'nigerr'" in unknown_actor.message and unknown_actor.hint == "did you mean 'niger'?"
    missing = found[(10, 5)]
    assert "needs 'target'" in missing.message
    assert str(info.value).count(": error: ") == 5


def test_scenario_wrong_shapes_are_all_reported(tmp_path, charter):
    text = """title: [not, a, text]
actors:
  1bad: {}
  weird: {name: W, kind: planet, colour: red}
events:
  - 5
  - []
  - {type: [attack]}
  - {type: attack, date: [1], id: [x], target: {a: b}, by: [x, y], object: spaceship}
  - {type: accession, date: 2023-10-01, state: chad, approved_by: {a: b}}
expect: 5
"""
    diagnostics = scenario_error(tmp_path, text, charter)
    lines = {d.span.line for d in diagnostics}
    assert {1, 3, 4, 6, 7, 8, 9, 10} <= lines
    assert len(diagnostics) >= 10


def test_scenario_very_long_value_is_shortened_in_messages(tmp_path, charter):
    d = first(scenario_error(tmp_path, "title: x\nas_of: " + "9" * 100_000 + "\nevents: []\n", charter))
    assert "date" in d.message and len(d.message) < 200


# ---- the command line -----------------------------------------------------------------------
HEAD = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: .+")


def assert_cli_error(stderr, path, line=None, column=None, caret=True):
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    lines = stderr.splitlines()
    heads = [(i, m) for i, m in ((i, HEAD.match(text)) for i, text in enumerate(lines)) if m]
    assert heads, stderr
    i, m = heads[0]
    assert m["file"] == str(path)
    if line is not None:
        assert int(m["line"]) == line, stderr
    if column is not None:
        assert int(m["col"]) == column, stderr
    if caret:
        source, marks = lines[i + 1], lines[i + 2]
        assert source.startswith("  ") and source.strip(), stderr
        assert set(marks.strip()) == {"^"}, stderr
        assert_caret_under_column(path, int(m["line"]), int(m["col"]), source[2:], marks.index("^") - 2)


def assert_caret_under_column(path, line, column, shown, caret):
    """The caret stands under the column the message names, in the window of the line that is shown.

    A long line is shown as a window of it (diagnostics.SHOWN_LINE characters), so the caret's place in
    the printed text is the column less where the window starts. The window must be the line's own text,
    escaped (safe_text.escape: a control character is shown as `\\x00`, and the caret counts its escape).
    """
    text = Path(path).read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
    breaks = YAML_LINE_BREAKS if str(path).endswith((".yaml", ".yml")) else TREATY_LINE_BREAKS
    full = breaks.split(text)[line - 1].expandtabs(1)
    # where the window starts in the line: the caret stands after the escape of full[left:column - 1]
    starts = [left for left in range(max(column - 1 - caret, 0), column)
              if len(escape(full[left:column - 1])) == caret and escape(full[left:]).startswith(shown)]
    assert starts, (column, caret, shown[:40])
    left = starts[0]
    assert left == 0 or len(full) > SHOWN_LINE, "only a long line is shown in part"


BAD_SCENARIOS = {
    "unknown_actor.yaml": (VALID_SCENARIO.replace("target: Niger", "target: Nigr"), 9, 13),
    "not_yaml.yaml": ("title: x\nevents: [\n  : :\n", 3, None),
    "python_tag.yaml": ("title: !!python/object/apply:os.system ['true']\nevents: []\n", 1, 8),
    "deep.yaml": ("title: x\nevents: " + "[" * 10_000 + "]" * 10_000 + "\n", 2, None),
    "laughs.yaml": ("title: x\nevents: []\n" + billion_laughs(), None, None),
    "nul.yaml": ("title: x\x00\nevents: []\n", 1, 9),
    "several.yaml": (SEVERAL_ERRORS, 2, 1),
}


@pytest.mark.parametrize("name", sorted(BAD_SCENARIOS))
def test_cli_eval_bad_scenario(tmp_path, capsys, name):
    content, line, column = BAD_SCENARIOS[name]
    path = write(tmp_path, name, content)
    assert main(["eval", path]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_cli_error(err, path, line, column)


BAD_TREATIES = {
    "syntax.treaty": ('treaty x "t"\nparty mali "Mali"\nparty (\n', 3, 7),
    "parens.treaty": ('treaty x "t"\nevent e(' + "(" * 5000 + ")" * 5000 + ")\n", 2, 9),
    "nul.treaty": ('treaty x "t"\nparty a\x00 "A"\n', 2, 8),
    "bad_date.treaty": ('treaty x "t" signed 2023-02-30\nparty a "A"\n', 1, 21),
    "long_line.treaty": ('treaty x "t" ' + "a " * 500_000 + "\n", 1, 14),
}


@pytest.mark.parametrize("name", sorted(BAD_TREATIES))
def test_cli_check_bad_treaty(tmp_path, capsys, name):
    content, line, column = BAD_TREATIES[name]
    path = write(tmp_path, name, content)
    assert main(["check", path]) == 2
    out, err = capsys.readouterr()
    assert_cli_error(err, path, line, column)


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00", b"# nothing\n"])
def test_cli_check_empty_or_binary_treaty(tmp_path, capsys, content):
    path = write(tmp_path, "odd.treaty", content)
    assert main(["check", path]) == 2
    assert_cli_error(capsys.readouterr().err, path, 1, None, caret=False)


def test_cli_unreadable_inputs(tmp_path, capsys):
    for argv, path in ((["eval", str(tmp_path)], tmp_path), (["check", str(tmp_path)], tmp_path),
                       (["eval", str(tmp_path / "nope.yaml")], tmp_path / "nope.yaml"),
                       (["check", str(tmp_path / "nope.treaty")], tmp_path / "nope.treaty")):
        assert main(argv) == 2
        assert_cli_error(capsys.readouterr().err, path, 1, 1, caret=False)


def test_cli_eval_scenario_with_missing_treaty(tmp_path, capsys):
    path = write(tmp_path, "s.yaml", "title: x\ntreaty: nope.treaty\nevents: []\n")
    assert main(["eval", path]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "nope.treaty" in err and HEAD.match(err.splitlines()[0])


def test_cli_in_a_real_process_prints_no_traceback(tmp_path):
    """The console entry point, run as a process: exit status 2, a located error, no Traceback."""
    scenario = write(tmp_path, "bad.yaml", SEVERAL_ERRORS)
    treaty = write(tmp_path, "bad.treaty", BAD_TREATIES["syntax.treaty"][0])
    for argv, path, line in ((["eval", scenario], scenario, 2), (["check", treaty], treaty, 3)):
        proc = subprocess.run([sys.executable, "-m", "treatylang.cli", *argv], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert proc.stdout == ""
        assert_cli_error(proc.stderr, path, line)
