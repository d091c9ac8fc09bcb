"""Every construct gives every meaning, and every syntax construct is lowered: a forgotten step fails here."""

import inspect
import typing

import pytest

from treatylang.ir import conditions, entry, lower, patterns, registry, rules
from treatylang.lang import syntax as s

ABSTRACT = {conditions.Condition.eval3, conditions.Condition.emit, conditions.Condition.describe,
            patterns.Step.match, patterns.Step.emit, patterns.Step.why_not}


@pytest.mark.parametrize("category, cls, methods", registry.constructs(), ids=lambda x: getattr(x, "__name__", None))
def test_each_construct_gives_each_of_its_meanings(category, cls, methods):
    for method in methods:
        impl = getattr(cls, method, None)
        assert impl is not None and impl not in ABSTRACT, f"{category} {cls.__name__} has no {method}"


def _subclasses(base):
    out = set()
    for sub in base.__subclasses__():
        out |= {sub} | _subclasses(sub)
    return out


def test_the_registry_lists_every_construct_class():
    listed = {cls for _, cls, _ in registry.constructs()}
    for base in (conditions.Condition, patterns.Step, rules.Conclusion):
        missing = {c.__name__ for c in _subclasses(base)} - {c.__name__ for c in listed}
        assert not missing, f"not in ir/registry.py: {sorted(missing)}"
    for module in (entry,):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                assert cls in listed, f"{cls.__name__} is not in ir/registry.py"


def _union_members(union) -> set:
    return set(typing.get_args(union))


@pytest.mark.parametrize("union, table", [
    (s.Condition, lower.CONDITION_LOWERING),
    (s.Conclusion, lower.CONCLUSION_LOWERING),
    (s.Var | s.ArgAny | s.ArgConst | s.ArgPlaceOf, lower.ARG_LOWERING),
    (s.EntryIntoForce, lower.ENTRY_LOWERING),
], ids=["conditions", "conclusions", "pattern arguments", "entry into force"])
def test_every_syntax_construct_is_lowered(union, table):
    missing = {c.__name__ for c in _union_members(union)} - {c.__name__ for c in table}
    assert not missing, f"no lowering in ir/lower.py for {sorted(missing)}"


def test_the_pattern_argument_union_is_the_one_the_syntax_declares():
    hints = typing.get_type_hints(s.PatternArg)
    assert _union_members(hints["value"]) == {s.Var, s.ArgAny, s.ArgConst, s.ArgPlaceOf}
