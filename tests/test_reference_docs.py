"""The two reference pages agree with the code: docs/scenarios.md (the scenario file) and docs/json.md (the
JSON result).

A table of keys is marked by a comment `<!-- keys: NAME -->` on the line just before it; its rows that
start with "| `key`" name the keys. Each marked table must name exactly the keys the code accepts (for
the scenario reader: its constants) or gives (for the result: `Result.to_json()` on the page's own example,
with and without explanations). A table whose header starts with "key" must be marked, so that no table of
keys escapes the check.

docs/scenarios.md also shows a scenario with mistakes: a ```yaml invalid=NAME.yaml block must fail to load,
and the output under each `$ treaty ...` line of a ```console errors block must be exactly what the command
prints, run with every file of the page (refresh with TREATYLANG_UPDATE_GOLDEN=1, as for tests/test_docs.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

import treatylang
from treatylang.casebook import runner
from treatylang.explain.why import because
from treatylang.lang.syntax import EVENT_KEYS
from treatylang.model import ACTOR_KINDS
from treatylang.scenario import load, yaml_nodes
from treatylang.source import dates, files
from treatylang.testing import make_scenario

from test_docs import normal, run_command, scratch as write_files  # the pages' blocks, as the doc tests read them

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCENARIOS = DOCS / "scenarios.md"
JSON = DOCS / "json.md"
UPDATE = os.environ.get("TREATYLANG_UPDATE_GOLDEN") == "1"

MARKER = re.compile(r"^<!-- keys: ([a-z-]+) -->$")
FENCE = re.compile(r"^```([^`\n]*)$")
KEY_CELL = re.compile(r"^`([^`]+)`$")


# ---- reading the pages --------------------------------------------------------------------------------------
class Table:
    def __init__(self, line: int, rows: list[list[str]]):
        self.line = line  # 1-based line of its header
        self.header = rows[0]
        self.rows = rows[2:]  # after the header and its |---| line

    def keyed(self) -> dict[str, list[str]]:
        """The rows that start with a `key`, by key (a key given twice fails)."""
        out: dict[str, list[str]] = {}
        for row in self.rows:
            m = KEY_CELL.match(row[0]) if row else None
            if m:
                assert m.group(1) not in out, f"line {self.line}: `{m.group(1)}` is in the table twice"
                out[m.group(1)] = row
        return out

    def keys(self) -> list[str]:
        return list(self.keyed())

    def column(self, name: str) -> int:
        names = [c.strip("`") for c in self.header]
        assert name in names, f"line {self.line}: the table has no column {name!r} ({self.header})"
        return names.index(name)


def cells(line: str) -> list[str]:
    """The cells of a Markdown table row (an escaped `\\|` stays inside its cell)."""
    parts = re.split(r"(?<!\\)\|", line.strip())
    return [p.strip() for p in parts[1:-1]]


def tables(doc: Path) -> tuple[dict[str, Table], list[Table]]:
    """(the marked tables by name, the unmarked ones), outside code blocks."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    marked: dict[str, Table] = {}
    unmarked: list[Table] = []
    marker, fenced, i = None, False, 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if fence:  # a block opens with ```INFO and closes with ``` alone
            fenced = True if not fenced else bool(fence.group(1).strip())
            i += 1
            continue
        if fenced:
            i += 1
            continue
        m = MARKER.match(line.strip())
        if m:
            marker = (m.group(1), i + 1)
            i += 1
            continue
        if line.startswith("|"):
            start = i
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(cells(lines[i]))
                i += 1
            table = Table(start + 1, rows)
            if marker is not None and marker[1] == start:  # the marker is the line just before
                assert marker[0] not in marked, f"{doc.name}: two tables are marked keys: {marker[0]}"
                marked[marker[0]] = table
            else:
                unmarked.append(table)
            marker = None
            continue
        if line.strip():
            marker = None
        i += 1
    return marked, unmarked


def test_tables_of_keys_are_marked():
    for doc in (SCENARIOS, JSON):
        _, unmarked = tables(doc)
        for t in unmarked:
            first = t.header[0].strip("`").lower() if t.header else ""
            assert not first.startswith("key"), (
                f"{doc.name}:{t.line}: a table of keys without a `<!-- keys: NAME -->` line before it")


# ---- docs/scenarios.md ----------------------------------------------------------------------------------------
SECTIONS = {"norms": runner.NORM_KEYS, "absent": runner.NORM_KEYS, "standing": runner.STANDING_KEYS,
            "breaches": runner.BREACH_KEYS, "effects": runner.EFFECT_KEYS, "conditional": runner.CONDITIONAL_KEYS}


@pytest.fixture(scope="module")
def scenario_tables() -> dict[str, Table]:
    marked, _ = tables(SCENARIOS)
    assert set(marked) == {"scenario", "actor", "place", "members", "event", "expect", "expect-items"}, sorted(marked)
    return marked


@pytest.mark.parametrize("name, accepted", [
    ("scenario", load.TOP_KEYS),
    ("actor", load.ACTOR_KEYS),
    ("place", load.PLACE_KEYS),
    ("members", load.MEMBERS_KEYS),
    ("event", EVENT_KEYS),
    ("expect", runner.EXPECT_KEYS),
])
def test_scenario_key_tables_name_exactly_the_accepted_keys(scenario_tables, name, accepted):
    documented = scenario_tables[name].keys()
    assert set(documented) - set(accepted) == set(), f"docs/scenarios.md ({name}) names keys the code refuses"
    assert set(accepted) - set(documented) == set(), f"docs/scenarios.md ({name}) leaves out accepted keys"


def test_expect_item_keys_of_each_list(scenario_tables):
    table = scenario_tables["expect-items"]
    columns = {section: table.column(section) for section in SECTIONS}
    rows = table.keyed()
    for section, accepted in SECTIONS.items():
        documented = {key for key, row in rows.items() if row[columns[section]].strip().lower() == "yes"}
        assert documented == set(accepted), (
            f"docs/scenarios.md: the keys of a `{section}` item are {sorted(accepted)}, "
            f"the page says {sorted(documented)}")
    assert set(rows) == set().union(*SECTIONS.values()), "docs/scenarios.md names an item key no list accepts"


def _minimal() -> dict:
    """A scenario giving every top-level key, and an event every key, for the Charter."""
    return {
        "title": "t", "treaty": "any.treaty", "vocabulary": "collective_defence", "as_of": "2024-01-01",
        "description": "d", "note": "n",
        "actors": {"ecowas": {"name": "ECOWAS", "kind": "organization", "aka": ["CEDEAO"], "is": []}},
        "places": {"high_seas": {"name": "the high seas", "in": [], "is": []}},
        "members": [{"on": "2023-10-01", "parties": ["mali", "niger"]}],
        # (a blockade: an event of the Charter's own, and of the vocabulary it uses, by the same name)
        "events": [{"id": "x", "type": "blockade", "date": "2024-01-01", "until": "ongoing", "note": "n",
                    "target": "niger", "by": "mali"}],
        "expect": {"members": ["mali"]},
    }


def _loads(data: dict, treaty) -> bool:
    try:
        load.scenario_from_dict(data, treaty)
    except treatylang.TreatyError:
        return False
    return True


def _required(table: Table) -> dict[str, bool]:
    col = table.column("required")
    answers = {key: row[col].strip().lower() for key, row in table.keyed().items()}
    assert set(answers.values()) <= {"yes", "no"}, f"the `required` column says yes or no: {answers}"
    return {key: a == "yes" for key, a in answers.items()}


def test_required_top_level_keys_are_the_documented_ones(scenario_tables, charter):
    assert _loads(_minimal(), charter)
    for key, required in _required(scenario_tables["scenario"]).items():
        data = _minimal()
        del data[key]
        assert _loads(data, charter) is not required, (
            f"docs/scenarios.md says `{key}` is {'' if required else 'not '}required; the reader disagrees")


def test_required_event_keys_are_the_documented_ones(scenario_tables, charter):
    for key, required in _required(scenario_tables["event"]).items():
        data = _minimal()
        del data["events"][0][key]
        assert _loads(data, charter) is not required, (
            f"docs/scenarios.md says an event's `{key}` is {'' if required else 'not '}required; the reader disagrees")


def test_actor_kinds_and_defaults(scenario_tables, charter):
    actor = scenario_tables["actor"].keyed()
    kind_row = " ".join(actor["kind"])
    for kind in ACTOR_KINDS:
        assert f"`{kind}`" in kind_row, f"docs/scenarios.md does not name the kind {kind}"
    data = _minimal()
    data["actors"] = {"carthage": {}}
    data["events"] = [{"type": "attack", "date": "2024-01-01", "target": "niger", "by": "carthage"},
                      {"type": "attack", "date": "2024-01-02", "target": "mali", "by": "carthage"}]
    scenario = load.scenario_from_dict(data, charter)
    default_kind = actor["kind"][-1].strip("`")
    assert scenario.actors["carthage"].kind == default_kind
    assert scenario.actors["carthage"].name == "carthage"  # `name`: "the id"
    assert [e.id for e in scenario.events] == ["e1", "e2"]
    assert "`e1`, `e2`" in " ".join(scenario_tables["event"].keyed()["id"])


def test_the_limits_and_fixed_values_are_the_code_s():
    text = SCENARIOS.read_text(encoding="utf-8")
    for shown in (f"{files.MAX_BYTES:,} bytes", f"{yaml_nodes.MAX_DEPTH} levels", f"{yaml_nodes.MAX_NODES:,} values",
                  f"{files.MAX_ERRORS} a file", f"first {files.QUOTED} characters",
                  f"{runner.PAIRING_LIMIT:,} comparisons", f"`{dates.DATE_FORMAT}`"):
        assert shown in text, f"docs/scenarios.md should say {shown!r}"
    for value in (*runner.MODALITIES, *runner.CHANGES):
        assert f"`{value}`" in text, f"docs/scenarios.md should name {value!r}"


def test_invalid_scenarios_fail_and_their_errors_are_shown_exactly(tmp_path, monkeypatch):
    found = write_files(SCENARIOS, tmp_path)
    monkeypatch.chdir(tmp_path)
    invalid = [b for b in found if b.lang == "yaml" and "invalid" in b.options]
    shown = [b for b in found if b.lang == "console" and "errors" in b.flags]
    assert invalid and shown, "docs/scenarios.md shows a scenario with mistakes and its errors"
    for b in invalid:
        with pytest.raises(treatylang.TreatyError):
            treatylang.load_scenario(b.options["invalid"])
    text = SCENARIOS.read_text(encoding="utf-8")
    failures = []
    for b in shown:
        commands = re.split(r"^\$ ", b.body, flags=re.M)
        assert commands[0] == "", f"scenarios.md:{b.line}: a console block starts with a '$ ' line"
        new = []
        for part in commands[1:]:
            command, _, expected = part.partition("\n")
            got = run_command(command.strip())
            if normal(got) != normal(expected):
                failures.append(f"scenarios.md:{b.line}: `{command}` prints:\n{got}\n--- the page shows:\n{expected}")
            new.append(f"$ {command.strip()}\n{normal(got)}\n")
        if UPDATE:
            text = text.replace(b.body, "".join(new), 1)
    if UPDATE and failures:
        SCENARIOS.write_text(text, encoding="utf-8")
        return
    assert not failures, "\n\n".join(failures)


# ---- docs/json.md -----------------------------------------------------------------------------------------------
ROW_TABLES = {"norms": "norm", "standing": "norm", "breaches": "breach", "effects": "effect"}


@pytest.fixture(scope="module")
def json_tables() -> dict[str, Table]:
    marked, _ = tables(JSON)
    assert set(marked) == {"result", "treaty", "status", "scenario", "norm", "breach", "effect", "conditional",
                           "depends-on", "continuing", "summary", "summary-norm", "summary-breach",
                           "unengaged", "together", "vocabulary", "reading"}, sorted(marked)
    return marked


@pytest.fixture(scope="module")
def page_example(tmp_path_factory):
    """The result of the page's first scenario (its example), read against the page's treaty."""
    folder = tmp_path_factory.mktemp("json_md")
    found = write_files(JSON, folder)
    first = next(b for b in found if "scenario" in b.options)
    scenario = treatylang.load_scenario(folder / first.options["scenario"])
    return treatylang.evaluate(scenario.treaty, scenario)


def _examples(page_example, charter):
    """The page's example and a Charter case with a breach and an effect: results to read keys from."""
    scenario = treatylang.load_scenario(ROOT / "examples" / "chad_accession_unanimous.yaml", charter)
    return [page_example, treatylang.evaluate(charter, scenario)]


def test_the_page_example_fills_every_list(page_example):
    data = page_example.to_json()
    for key in (*ROW_TABLES, "not_in_force"):
        assert data[key], f"the example of docs/json.md should give some {key}, so that their keys are checked"


@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explain"])
def test_result_keys_are_the_documented_ones_in_order(json_tables, page_example, charter, explain):
    for result in _examples(page_example, charter):
        data = result.to_json(because=because if explain else None)
        assert list(data) == json_tables["result"].keys(), "the keys of the result, in the order of docs/json.md"
        assert list(data["treaty"]) == json_tables["treaty"].keys()
        assert list(data["treaty"]["status"]) == json_tables["status"].keys()
        assert list(data["scenario"]) == json_tables["scenario"].keys()


@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explain"])
def test_row_keys_are_the_documented_ones_in_order(json_tables, page_example, charter, explain):
    seen = set()
    for result in _examples(page_example, charter):
        data = result.to_json(because=because if explain else None)
        for key, table in ROW_TABLES.items():
            documented = json_tables[table].keys()
            assert documented[-1] == "because", f"docs/json.md: `because` is the last key of a {table} row"
            expected = documented if explain else documented[:-1]
            for row in data[key]:
                assert list(row) == expected, f"a row of `{key}` has keys {list(row)}; docs/json.md says {expected}"
                seen.add(key)
                if explain:
                    assert isinstance(row["because"], list) and all(isinstance(s, str) for s in row["because"])
    assert seen == set(ROW_TABLES), "every kind of row was checked on a real result"


@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explain"])
def test_summary_keys_are_the_documented_ones_in_order(json_tables, page_example, explain):
    """The page's example has a norm, a breach and an event before entry into force: every row kind."""
    summary = page_example.to_json(because=because if explain else None)["summary"]
    assert list(summary) == json_tables["summary"].keys()
    for key, table in (("norms", "summary-norm"), ("breaches", "summary-breach"), ("unengaged", "unengaged")):
        documented = json_tables[table].keys()
        expected = documented if explain or documented[-1] != "because" else documented[:-1]
        assert summary[key], f"the example of docs/json.md should give some summary {key}"
        for row in summary[key]:
            assert list(row) == expected, f"a row of summary `{key}` has keys {list(row)}; docs/json.md says {expected}"


def test_row_keys_are_the_model_s(json_tables, page_example):
    """The rows of the JSON are the model's rows (`Norm.row`, `Breach.row`, `Effect.row`), plus `because`."""
    result = page_example
    rows = {"norm": result.norms[0].row(), "breach": result.breaches[0].row(), "effect": result.effects[0].row()}
    for table, row in rows.items():
        assert [*row, "because"] == json_tables[table].keys()


UNKNOWN_TREATY = """treaty u "U" signed 2024-01-01 in force on signature
party mali "Mali"
party niger "Niger"
event attack(target: actor+, permitted_by: actor* = unknown, armed_forces: yes|no = unknown, territory_of: actor? = unknown)
article 8 "Territory"
  rule no_staging:
    for each member M:
    M must not permit_attacks
    breached by attack(territory_of: M, permitted_by: M)
  rule assist:
    when attack(target: V, armed_forces: yes)
    for each member M other than V:
    M must assist V
"""


@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explain"])
def test_conditional_row_keys_are_the_documented_ones(json_tables, explain):
    """A conditional row: `kind`, the row of its kind, `depends_on` (each open fact's keys as documented)."""
    treaty = treatylang.parse_treaty(UNKNOWN_TREATY, "unknown.treaty")
    scenario = make_scenario(treaty, [("attack", dt.date(2024, 5, 1), {"target": ("niger",), "territory_of": "mali"})])
    result = treatylang.evaluate(treaty, scenario)
    data = result.to_json(because=because if explain else None)
    kinds = set()
    for row in data["conditional"]:
        kinds.add(row["kind"])
        middle = json_tables["norm" if row["kind"] == "norm" else "breach"].keys()[:-1]
        documented = json_tables["conditional"].keys()
        expected = [documented[0], *middle, *documented[1:len(documented) - (0 if explain else 1)]]
        assert list(row) == expected
        for fact in row["depends_on"]:
            assert list(fact) == json_tables["depends-on"].keys()
    assert kinds == {"norm", "breach"}


def test_rows_of_a_continuing_situation_add_the_documented_keys_after_date(json_tables, charter):
    """`until` and `since` (docs/time.md, continuing situations), after `date`, only on such rows."""
    data = _minimal()
    data["as_of"] = "2023-10-01"
    del data["vocabulary"]  # the Charter's own terms
    data["events"][0].update(type="attack", date="2023-09-01", until="ongoing", target="niger", by="ecowas")
    data["events"].append({"type": "attack", "date": "2023-09-20", "until": "2023-09-30", "target": "mali",
                           "by": "ecowas"})
    rows = treatylang.evaluate(charter, load.scenario_from_dict(data, charter)).to_json()["norms"]
    extra = json_tables["continuing"].keys()
    norm = json_tables["norm"].keys()[:-1]
    at = norm.index("date") + 1
    assert {tuple(r) for r in rows} == {(*norm[:at], *extra, *norm[at:]), (*norm[:at], "until", *norm[at:])}


def test_several_scenarios_give_a_list(tmp_path, monkeypatch):
    write_files(JSON, tmp_path)
    monkeypatch.chdir(tmp_path)
    one = json.loads(run_command("treaty eval raid.yaml --format json"))
    two = json.loads(run_command("treaty eval raid.yaml clash.yaml --format json"))
    assert isinstance(one, dict) and isinstance(two, list) and len(two) == 2 and two[0] == one


TOGETHER_TREATY = """treaty c "C" signed 2024-01-01 in force on signature
party mali "Mali"
party niger "Niger"
event threat(to: actor)
article 4 "Consultation"
  rule consult:
    when threat(to: V)
    where V is a member
    members together must consult on V
"""


def test_a_collective_norm_row_adds_together_after_bearer(json_tables):
    """`together` (the members on the date), right after `bearer`, only on a collective norm's row."""
    treaty = treatylang.parse_treaty(TOGETHER_TREATY, "together.treaty")
    scenario = make_scenario(treaty, [("threat", dt.date(2024, 5, 1), {"to": "niger"})])
    rows = treatylang.evaluate(treaty, scenario).to_json()["norms"]
    norm = json_tables["norm"].keys()[:-1]
    assert [list(r) for r in rows] == [[norm[0], *json_tables["together"].keys(), *norm[1:]]]
    assert rows[0]["bearer"] == "members" and rows[0]["together"] == ["mali", "niger"]
