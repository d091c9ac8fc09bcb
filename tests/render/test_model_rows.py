"""treatylang.model: the one projection of results to plain rows, and a model that imports nothing above it."""

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import treatylang.model
from treatylang.model import iso

from golden_cases import ROOT, result

NORM_KEYS = ["bearer", "modality", "action", "counterparty", "article", "article_version", "rule", "event", "date", "means",
             "means_in_order", "means_all", "means_including", "purpose", "status", "ended", "ended_by"]
ABOVE_THE_MODEL = ("treatylang.render", "treatylang.explain", "treatylang.engine", "treatylang.casebook",
                   "treatylang.verify", "treatylang.cli", "treatylang.testing")


def test_rows_have_the_keys_of_design_5():
    r = result("chad_accession_unanimous")
    assert all(list(n.row()) == NORM_KEYS for n in r.norms + r.standing)
    assert [n.row()["event"] for n in r.standing][:1] == [None]
    r2 = result("member_attacks_member")
    assert [list(b.row()) for b in r2.breaches] == [["party", "article", "article_version", "rule", "event", "date",
                                                     "modality", "norm_event", "deadline"]]
    assert {(n.row()["status"], n.row()["ended"], n.row()["ended_by"]) for n in r.norms + r.standing} == {("live", None, None)}
    assert [list(e.row()) for e in r.effects] == [["party", "change", "from", "article", "article_version", "rule", "event", "date"]]
    assert r.effects[0].row()["from"] == "2024-03-01"


def test_iso():
    import datetime as dt

    assert iso(dt.date(2024, 3, 1)) == "2024-03-01" and iso(None) is None


def _imports(tree) -> list[tuple[str, bool]]:
    """(module, under `if TYPE_CHECKING:`) for every import in the module, function bodies included."""
    found = []

    def visit(node, typing_only):
        for child in ast.iter_child_nodes(node):
            inner = typing_only or (isinstance(child, ast.If) and ast.unparse(child.test).endswith("TYPE_CHECKING"))
            if isinstance(child, ast.Import):
                found.extend((a.name, typing_only) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                found.append((child.module or "", typing_only))
            visit(child, inner)

    visit(tree, False)
    return found


def test_the_model_imports_nothing_above_itself():
    tree = ast.parse(Path(treatylang.model.__file__).read_text(encoding="utf-8"))
    imports = _imports(tree)
    assert imports  # the walk sees the imports
    for module, typing_only in imports:
        if typing_only and module.startswith("treatylang.engine"):
            continue  # type names only, never imported at run time
        assert not module.startswith(ABOVE_THE_MODEL), f"treatylang/model.py imports {module}"


def test_to_json_needs_neither_render_nor_explain():
    code = textwrap.dedent(f"""
        import json, sys
        import treatylang
        treaty = treatylang.load_treaty(treatylang.bundled_charter_path())
        scenario = treatylang.load_scenario({str(ROOT / 'examples' / 'member_attacks_member.yaml')!r}, treaty)
        data = treatylang.evaluate(treaty, scenario).to_json()
        loaded = sorted(m for m in sys.modules if m.startswith(("treatylang.render", "treatylang.explain")))
        data["scenario"]["file"] = "examples/member_attacks_member.yaml"
        print(json.dumps({{"loaded": loaded, "data": data}}))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    out = json.loads(proc.stdout)
    assert out["loaded"] == []
    assert out["data"] == result("member_attacks_member").to_json()
    assert not any("because" in item for key in ("norms", "standing", "breaches", "effects") for item in out["data"][key])


def test_one_date_format():
    defined = [p.relative_to(ROOT) for p in (ROOT / "treatylang").rglob("*.py") if "def _iso(" in p.read_text(encoding="utf-8")]
    assert defined == []
