"""Fuzzing the loaders: whatever the input, a loader succeeds or raises a located TreatyError.

Random text and bytes, and random edits of valid inputs (the Charter and a scenario): characters and
lines deleted, inserted, replaced, duplicated or swapped, with an alphabet weighted towards each
language's own punctuation and keywords. Anything but success or a TreatyError whose diagnostics all
carry a file, a line >= 1, a column >= 1 and a message fails the test.

Budgets are small and fixed (the whole file runs in well under a minute on two cores); the database is
off so a run leaves nothing behind. Raise FUZZ_SCALE to search longer: FUZZ_SCALE=20 pytest tests/test_fuzz.py
"""

import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import treatylang
from treatylang import TreatyError

from conftest import CHARTER

CHARTER_TEXT = CHARTER.read_text(encoding="utf-8")

SCENARIO_TEXT = """title: ECOWAS intervention in Niger
treaty: charter.treaty
as_of: 2023-10-01
note: hypothetical
actors:
  ecowas: {name: ECOWAS, kind: organization, aka: [CEDEAO]}
  jnim: {name: JNIM, kind: armed_group}
events:
  - id: intervention
    type: attack
    date: 2023-10-01
    target: [Niger, mali]
    by: ecowas
    object: forces
  - {type: blockade, date: 2023-10-02, target: niger, by: mali}
  - {type: terrorism, date: 2023-10-03, in: burkina_faso, by: jnim}
  - {type: accession, date: 2023-11-01, state: chad, approved_by: [mali, niger, burkina_faso]}
  - {type: denunciation, date: 2024-01-28, party: NER}
expect:
  norms:
    - {bearer: mali, modality: obligation, counterparty: niger, article: "6"}
  absent:
    - {bearer: niger, article: "6"}
  breaches: []
"""

SCALE = max(1, int(os.environ.get("FUZZ_SCALE", "1")))


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory):
    """Parsed treaties go to a cache of this module's own, not the user's (hostile files would pile up there)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


def budget(n):
    return settings(max_examples=n * SCALE, deadline=None, database=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def check(load):
    """Run a loader: success, or a TreatyError that is located throughout. Anything else propagates."""
    try:
        load()
    except TreatyError as e:
        assert e.diagnostics, "a TreatyError without diagnostics"
        for d in e.diagnostics:
            assert d.span.file, d
            assert isinstance(d.span.line, int) and d.span.line >= 1, d
            assert isinstance(d.span.column, int) and d.span.column >= 1, d
            assert isinstance(d.message, str) and d.message.strip(), d
            d.format()
        str(e)
        return False
    return True


# ---- edits of valid inputs ------------------------------------------------------------------
TREATY_PIECES = [
    "(", ")", ":", ",", "|", "+", "*", "?", "=", '"', '"""', "\\", "#", "/", "%", "_", "-", "\n", " ", "\t",
    "rule", "when", "where", "unless", "for each member M", "other than", "must", "must not", "may",
    "deem", "article", "party", "event", "fact", "treaty", "either", "or", "and", "is", "is not", "a member",
    "becomes a member", "ceases to be a member", "6 months after", "breached by", "exception to",
    "means", "purpose", "in order of preference", "at least 2/3 of members are among", "every member is among",
    "date is before 2023-09-16", "V", "M", "Attacker", "niger", "attack(target: V, by: A)", "actor+", "actor?",
    "2023-02-30", "99999999999", "\x00", "\ufeff", "\r", "\u2028", "é", "\U0001F600",
]
YAML_PIECES = [
    ":", "-", "- ", "[", "]", "{", "}", ",", "&a", "*a", "!", "!!python/object/apply:os.system", "!!str", "|", ">",
    "'", '"', "#", "%TAG", "---", "...", "?", "<<: ", "@", "`", "\n", " ", "  ", "\t", "\r\n", "~", "null",
    "title", "events", "actors", "type", "date", "target", "by", "id", "kind", "as_of", "expect", "treaty",
    "attack", "blockade", "accession", "niger", "mali", "Niger", "chad", "2023-10-01", "2023-13-45", "9999-12-31",
    "0001-01-01", "1e9", "yes", "\\e", "\\0", "\x00", "\ufeff", "\x85", "\u2028", "é", "\U0001F600",
]


def edits(pieces):
    """A list of (operation, position, payload) edits; positions are fractions of the current length."""
    where = st.floats(min_value=0, max_value=1, allow_nan=False)
    payload = st.one_of(st.sampled_from(pieces), st.text(max_size=6))
    op = st.one_of(
        st.tuples(st.just("delete"), where, st.integers(1, 40)),
        st.tuples(st.just("insert"), where, payload),
        st.tuples(st.just("replace"), where, payload),
        st.tuples(st.just("delete_line"), where, st.just(None)),
        st.tuples(st.just("duplicate_line"), where, st.just(None)),
        st.tuples(st.just("swap_lines"), where, where),
        st.tuples(st.just("truncate"), where, st.just(None)),
    )
    return st.lists(op, min_size=1, max_size=6)


def apply(text, operations):
    for op, where, arg in operations:
        i = int(where * len(text))
        if op == "delete":
            text = text[:i] + text[i + arg:]
        elif op == "insert":
            text = text[:i] + arg + text[i:]
        elif op == "replace":
            text = text[:i] + arg + text[i + len(arg):]
        elif op == "truncate":
            text = text[:i]
        else:
            lines = text.split("\n")
            j = min(int(where * len(lines)), len(lines) - 1)
            if op == "delete_line":
                del lines[j]
            elif op == "duplicate_line":
                lines.insert(j, lines[j])
            else:
                k = min(int(arg * len(lines)), len(lines) - 1)
                lines[j], lines[k] = lines[k], lines[j]
            text = "\n".join(lines)
    return text


@budget(120)
@given(edits(TREATY_PIECES))
def test_edited_charter_parses_or_fails_located(operations):
    text = apply(CHARTER_TEXT, operations)
    check(lambda: treatylang.parse_treaty(text, "edited.treaty"))


@budget(150)
@given(edits(YAML_PIECES))
def test_edited_scenario_loads_or_fails_located(tmp_path_factory, charter, operations):
    folder = tmp_path_factory.getbasetemp()
    path = folder / "edited.yaml"
    path.write_bytes(apply(SCENARIO_TEXT, operations).encode("utf-8", "surrogatepass"))
    check(lambda: treatylang.load_scenario(path, charter))


@budget(40)
@given(edits(YAML_PIECES))
def test_edited_scenario_with_its_own_treaty(tmp_path_factory, operations):
    """Through the scenario's `treaty:` key (edited too), so the treaty loader runs from the scenario."""
    folder = tmp_path_factory.getbasetemp()
    charter = folder / "charter.treaty"
    if not charter.exists():
        charter.write_text(CHARTER_TEXT, encoding="utf-8")
    path = folder / "own.yaml"
    path.write_bytes(apply(SCENARIO_TEXT, operations).encode("utf-8", "surrogatepass"))
    check(lambda: treatylang.load_scenario(path))


# ---- bytes -----------------------------------------------------------------------------------
@budget(60)
@given(st.binary(max_size=300), st.floats(0, 1), st.booleans())
def test_bytes_spliced_into_files(tmp_path_factory, charter, junk, where, scenario):
    """Raw bytes (invalid UTF-8, NULs, BOMs) spliced into a valid file, read through the file loaders."""
    base = (SCENARIO_TEXT if scenario else CHARTER_TEXT).encode("utf-8")
    i = int(where * len(base))
    path = tmp_path_factory.getbasetemp() / ("bytes.yaml" if scenario else "bytes.treaty")
    path.write_bytes(base[:i] + junk + base[i:])
    if scenario:
        check(lambda: treatylang.load_scenario(path, charter))
    else:
        check(lambda: treatylang.load_treaty(path))


@budget(60)
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path_factory, charter, data):
    folder = tmp_path_factory.getbasetemp()
    (folder / "random.yaml").write_bytes(data)
    (folder / "random.treaty").write_bytes(data)
    check(lambda: treatylang.load_scenario(folder / "random.yaml", charter))
    check(lambda: treatylang.load_treaty(folder / "random.treaty"))


# ---- random text -----------------------------------------------------------------------------
@budget(150)
@given(st.text(max_size=300))
def test_random_text_as_a_treaty(text):
    check(lambda: treatylang.parse_treaty(text, "random.treaty"))


@budget(100)
@given(st.lists(st.sampled_from(TREATY_PIECES + ["\n", " ", "x", "1"]), max_size=80))
def test_random_treaty_tokens(pieces):
    check(lambda: treatylang.parse_treaty(" ".join(pieces), "tokens.treaty"))


@budget(100)
@given(st.lists(st.sampled_from(YAML_PIECES + ["\n", " ", "x", "1"]), max_size=80))
def test_random_yaml_tokens(tmp_path_factory, charter, pieces):
    path = tmp_path_factory.getbasetemp() / "tokens.yaml"
    path.write_bytes("".join(pieces).encode("utf-8", "surrogatepass"))
    check(lambda: treatylang.load_scenario(path, charter))


# ---- well-formed YAML of the wrong shape -----------------------------------------------------
KEYS = ["title", "treaty", "as_of", "note", "actors", "events", "expect", "id", "type", "date", "target", "by",
        "object", "launched_from", "in", "state", "approved_by", "party", "name", "kind", "aka", "norms"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
    st.sampled_from(["attack", "blockade", "denunciation", "accession", "terrorism", "niger", "Mali", "NER",
                     "ecowas", "chad", "2023-10-01", "2023-09-15", "2023-02-30", "state", "organization",
                     "armed_group", "forces", "x", ""]),
    st.dates().map(str), st.text(max_size=10),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), children, max_size=5)),
    max_leaves=30,
)
EVENT = st.fixed_dictionaries(
    {"type": st.sampled_from(["attack", "blockade", "rebellion", "terrorism", "organized_crime", "accession",
                              "denunciation", "aggression", "atack"]),
     "date": st.one_of(st.dates().map(str), SCALARS)},
    optional={k: VALUES for k in ("id", "target", "by", "object", "launched_from", "in", "state", "approved_by",
                                  "party", "colour")},
)
SCENARIO = st.fixed_dictionaries(
    {"title": VALUES, "events": st.one_of(st.lists(EVENT, max_size=5), VALUES)},
    optional={"as_of": st.one_of(st.dates().map(str), SCALARS), "note": VALUES, "expect": VALUES,
              "actors": st.one_of(st.dictionaries(st.sampled_from(["ecowas", "chad", "niger", "1x", "a b"]),
                                                  st.one_of(VALUES, st.fixed_dictionaries(
                                                      {}, optional={"name": VALUES, "kind": VALUES, "aka": VALUES})),
                                                  max_size=3), VALUES)},
)


@budget(120)
@given(SCENARIO)
def test_scenarios_of_any_shape(tmp_path_factory, charter, data):
    path = tmp_path_factory.getbasetemp() / "shape.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    check(lambda: treatylang.load_scenario(path, charter))
    check(lambda: treatylang.scenario_from_dict(data, charter, str(path)))


# ---- the scenario loader, with a fixed seed: the same examples on every run (CI) ---------------------------------------
def fixed(n):
    """A bounded, derandomized budget: the same `n` examples each run, a few seconds in all (FUZZ_SCALE: more)."""
    return settings(max_examples=n * SCALE, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def scenario_or_treaty_error(load):
    """A Scenario, or a TreatyError located throughout: any other exception fails the test."""
    try:
        result = load()
    except TreatyError:
        return check(load)  # located throughout (check runs it once more and looks at every diagnostic)
    assert isinstance(result, treatylang.Scenario), type(result)
    return True


YAMLISH = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=4)), max_size=60).map("".join)


@fixed(100)
@given(st.binary(max_size=500))
def test_fixed_seed_random_bytes_as_a_scenario(tmp_path_factory, charter, data):
    path = tmp_path_factory.getbasetemp() / "fixed_bytes.yaml"
    path.write_bytes(data)
    scenario_or_treaty_error(lambda: treatylang.load_scenario(path, charter))


@fixed(150)
@given(YAMLISH)
def test_fixed_seed_yamlish_text_as_a_scenario(tmp_path_factory, charter, text):
    path = tmp_path_factory.getbasetemp() / "fixed_text.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    scenario_or_treaty_error(lambda: treatylang.load_scenario(path, charter))


@fixed(150)
@given(edits(YAML_PIECES))
def test_fixed_seed_mutated_valid_scenario(tmp_path_factory, charter, operations):
    path = tmp_path_factory.getbasetemp() / "fixed_edited.yaml"
    path.write_bytes(apply(SCENARIO_TEXT, operations).encode("utf-8", "surrogatepass"))
    scenario_or_treaty_error(lambda: treatylang.load_scenario(path, charter))


@fixed(60)
@given(st.one_of(st.binary(max_size=300), edits(TREATY_PIECES).map(lambda ops: apply(CHARTER_TEXT, ops).encode(
    "utf-8", "surrogatepass"))))
def test_fixed_seed_any_file_named_by_treaty_key(tmp_path_factory, content):
    """The file a scenario's `treaty:` key names holds anything: a Scenario, or a located TreatyError."""
    folder = tmp_path_factory.getbasetemp()
    (folder / "fixed_named.treaty").write_bytes(content)
    path = folder / "fixed_names.yaml"
    path.write_text("title: x\ntreaty: fixed_named.treaty\nevents: []\n", encoding="utf-8")
    scenario_or_treaty_error(lambda: treatylang.load_scenario(path))
