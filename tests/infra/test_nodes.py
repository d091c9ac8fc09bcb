"""infra/nodes.py: the shared repr, == and hash behave as the ones attrs would generate."""

import attrs

from treatylang.infra.nodes import node
from treatylang.lang import syntax as s
from treatylang.source.spans import Span


@node
class _Pair:
    a: int
    b: object = None
    where: object = attrs.field(default=None, eq=False, repr=False)


@node(eq=False)
class _Ident:
    a: int


@node
class _Nothing:
    pass


def _twin(cls):
    """The class attrs itself makes from the same fields."""
    return attrs.make_class(cls.__qualname__, {a.name: attrs.field(default=a.default, eq=a.eq, repr=a.repr)
                                               for a in attrs.fields(cls)}, frozen=True, slots=False)


def test_equality_and_hash_follow_the_fields_compared():
    twin = _twin(_Pair)
    cases = [((1, 2), (1, 2)), ((1, 2), (1, 3)), ((1, (2, [3])), (1, (2, [3]))), ((1, None), (2, None))]
    for left, right in cases:
        assert (_Pair(*left) == _Pair(*right)) is (twin(*left) == twin(*right))
        assert (_Pair(*left) != _Pair(*right)) is (twin(*left) != twin(*right))
    assert _Pair(1, 2, where="x") == _Pair(1, 2, where="y")  # a field with eq=False takes no part
    assert hash(_Pair(1, 2, where="x")) == hash(_Pair(1, 2, where="y"))
    assert len({_Pair(1, "b"), _Pair(1, "b"), _Pair(2, "b")}) == 2
    assert _Nothing() == _Nothing() and hash(_Nothing()) == hash(_Nothing())
    assert repr(_Pair(1, "b")) == repr(twin(1, "b"))


def test_other_classes_are_never_equal():
    assert _Pair(1) != _Nothing()
    assert _Pair.__eq__(_Pair(1), (1, None)) is NotImplemented
    assert s.Var("X") != "X"


def test_eq_false_is_identity():
    one = _Ident(1)
    assert one == one and one != _Ident(1)
    assert hash(one) == object.__hash__(one)


def test_syntax_nodes_and_spans_compare_as_before():
    here, there = Span("a.treaty", 1, 1), Span("b.treaty", 2, 2)
    assert here == Span("a.treaty", 1, 1) and here != there and hash(here) == hash(Span("a.treaty", 1, 1))
    assert s.Var("X", span=here) == s.Var("X", span=there)  # spans never take part in equality
    assert s.Var("X") != s.Var("Y")
