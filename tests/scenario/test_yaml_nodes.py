"""The positioned YAML reader and the file policy it shares with treaty files.

Messages are asserted in the project's own wording only: whichever YAML parser is installed (libyaml or
PyYAML's pure-Python one), a limit the project sets is reported the same way and at the same place.
"""

import pytest
import yaml

import treatylang
from treatylang import TreatyError
from treatylang.scenario import yaml_nodes
from treatylang.scenario.yaml_nodes import MAX_DEPTH, Document, Node, read_document, read_yaml
from treatylang.source import files
from treatylang.source.spans import line_column

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if getattr(yaml, "__with_libyaml__", False) else [])


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def loader(request, monkeypatch):
    """Run the test with each YAML parser this machine has."""
    monkeypatch.setattr(yaml_nodes, "_LOADER", request.param)
    return request.param


def error(text, filename="f.yaml"):
    with pytest.raises(TreatyError) as info:
        read_yaml(filename, text)
    return info.value.diagnostics[0]


# ---- nesting: the project's limit, the project's words, wherever the parser stops ------------------------
@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}")])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_500, 10_000])
def test_flow_nesting_is_reported_where_it_becomes_too_deep(loader, opening, closing, depth):
    d = error("title: x\nnote: " + opening * depth + "1" + closing * depth + "\n")
    assert d.message == f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)"
    assert d.span.line == 2
    # at the collection one level too deep (the top mapping is the first level)
    assert d.span.column == len("note: ") + len(opening) * (MAX_DEPTH - 1) + 1


def test_block_nesting_is_reported_in_the_project_words(loader):
    text = "note:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 2_000))
    d = error(text)
    assert d.message.startswith("the YAML is nested too deeply")
    assert d.span.line == MAX_DEPTH + 1


def test_nesting_at_the_limit_reads(loader):
    node = read_yaml("f.yaml", "note: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n").value["note"][1]
    depth = 1
    while node.value:
        node, depth = node.value[0], depth + 1
    assert depth == MAX_DEPTH - 1


def test_both_parsers_agree_on_a_broken_file(monkeypatch):
    found = set()
    for loader in LOADERS:
        monkeypatch.setattr(yaml_nodes, "_LOADER", loader)
        d = error("title: x\nevents: [\n  : :\n")
        assert d.message.startswith("not valid YAML: ")
        found.add(d.span.line)
    assert found <= {2, 3}


# ---- nodes and documents ------------------------------------------------------------------------------------
def test_nodes_carry_their_positions_and_aliases_share_nodes(loader):
    root = read_yaml("f.yaml", "a: [1, x]\nb: &n {c: ~}\nd: *n\n")
    a = root.value["a"][1]
    assert (a.line, a.column, a.end_line, a.end_column) == (1, 4, 1, 10)
    assert [n.value for n in a.value] == ["1", "x"]
    assert root.value["b"][1] is root.value["d"][1]
    assert root.value["b"][1].value["c"][1].value is None  # a null is None; every other scalar is its text


def test_a_document_is_read_once_from_its_bytes(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: x\nevents: []\n")
    document = read_document(str(path))
    assert isinstance(document, Document) and document.text.startswith("title")
    assert document.top("title") == Node("x", 1, 8, 1, 9)
    assert document.has("events") and not document.has("expect") and document.top("expect") is None
    assert read_document(str(path), b"title: y\n").top("title").value == "y"  # bytes already read: no reading


# ---- one file policy for treaty and YAML files ----------------------------------------------------------------
def test_undecodable_bytes_are_located_in_characters_in_both_kinds_of_file(tmp_path, charter):
    """The column of a bad byte counts characters (é is one), in a treaty as in a scenario."""
    treaty = tmp_path / "t.treaty"
    treaty.write_bytes('treaty x "t"\nparty a "Éé'.encode() + b"\xff" + b'"\n')
    scenario = tmp_path / "s.yaml"
    scenario.write_bytes("title: x\nnote: Éé".encode() + b"\xff" + b"\nevents: []\n")
    with pytest.raises(TreatyError) as in_treaty:
        treatylang.load_treaty(treaty)
    with pytest.raises(TreatyError) as in_scenario:
        treatylang.load_scenario(scenario, charter)
    t, s = in_treaty.value.diagnostics[0], in_scenario.value.diagnostics[0]
    assert (t.span.line, t.span.column) == (2, len('party a "Éé') + 1)
    assert (s.span.line, s.span.column) == (2, len("note: Éé") + 1)
    assert "not valid UTF-8" in t.message and t.message == s.message


@pytest.mark.parametrize("code", [*range(0x20), 0x7F])
def test_the_same_control_characters_are_refused_in_treaties_and_in_yaml_texts(tmp_path, charter, code):
    """A character a treaty may not hold is one a YAML text may not hold (written as an escape there)."""
    char = chr(code)
    refused = files.CONTROL_CHARACTERS.search(char) is not None
    assert refused == (char not in "\t\n\r\x0c")
    mark = f"U+{code:04X}"

    def refusal(load) -> bool:
        try:
            load()
        except TreatyError as e:
            return any(mark in d.message and "not allowed" in d.message for d in e.diagnostics)
        return False

    treaty = tmp_path / "t.treaty"
    treaty.write_text(f'treaty x "a{char}b"\n', encoding="utf-8", newline="")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f'title: "a\\x{code:02x}b"\nevents: []\n', encoding="utf-8")
    assert refusal(lambda: treatylang.load_treaty(treaty)) == refused
    assert refusal(lambda: treatylang.parse_treaty(f'treaty x "a{char}b"\n', "t.treaty")) == refused
    assert refusal(lambda: treatylang.load_scenario(scenario, charter)) == refused


def test_a_control_character_in_a_file_is_located_by_the_file_line_ends(tmp_path, charter):
    treaty = tmp_path / "t.treaty"
    treaty.write_bytes(b'treaty x "t"\rparty a\x1b "A"\r')  # old Mac line ends
    with pytest.raises(TreatyError) as info:
        treatylang.load_treaty(treaty)
    d = info.value.diagnostics[0]
    assert (d.span.line, d.span.column) == (2, 8) and d.source_line == 'party a\x1b "A"'


@pytest.mark.parametrize("text, index, yaml_breaks, expected", [
    ("ab\ncd", 4, False, (2, 2)),
    ("ab\r\ncd", 4, False, (2, 1)),
    ("ab\rcd", 3, False, (2, 1)),
    ("ab\x85cd", 3, False, (1, 4)),
    ("ab\x85cd", 3, True, (2, 1)),
    ("é\u2028é", 2, True, (2, 1)),
    ("", 0, True, (1, 1)),
])
def test_line_column(text, index, yaml_breaks, expected):
    assert line_column(text, index, yaml=yaml_breaks) == expected
