"""`treaty classify`: a treaty's obligations in the terms of the ATOP data set (Leeds et al. 2002), derived from
the model by evaluating it on canonical scenarios built from its own declarations (docs/classify.md).

    c = classify(treatylang.load_treaty("nato.treaty"))
    c.members["canada"].values["defense"].value  # 1, and .why: the scenario, rule and norm that gave it

- scenarios.py: the canonical scenarios (who, what, where), from the treaty's events, parties and places;
- words.py: the heuristics that read a norm's kind (support, consultation, force) from its words;
- derive.py: each member's variables and their derivations;
- atop.py: the comparison with an ATOP member-level CSV; report.py: the command and its outputs.
"""

from treatylang.classify.derive import VARIABLES, Classification, ClassifyError, Value, classify

__all__ = ["VARIABLES", "Classification", "ClassifyError", "Value", "classify", "run_cli"]


def run_cli(args) -> int:
    from treatylang.classify.report import run_cli as run

    return run(args)
