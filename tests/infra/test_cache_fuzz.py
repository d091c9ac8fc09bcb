"""Fuzzing the treaty cache's entries (fixed seed, a few seconds).

1. Whatever bytes lie at an entry's name (random, or a valid entry mutated: bytes flipped, cut, inserted,
   spliced), `load_treaty` gives what a cache-off load gives, and never raises.
2. Whatever body lies behind a correct header (a mutated valid body: only a writer of the user's own 0700
   folder could make one), `tree_json.loads` either refuses it with BadEntry or returns a tree whose every
   value has its declared type (it encodes again); it never raises anything else.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

import treatylang
from treatylang.infra import cache
from treatylang.lang import tree_json

ROOT = Path(__file__).resolve().parents[2]
PACT = ROOT / "examples" / "pacts" / "northwind_pact.treaty"
pytestmark = pytest.mark.skipif(not cache._SUPPORTED, reason="the cache needs O_NOFOLLOW and dir_fd (POSIX)")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A private cache holding the pact's valid entry; the reference (cache-off) summary of the pact."""
    tmp = tmp_path_factory.mktemp("fuzz")
    path = tmp / "pact.treaty"
    shutil.copyfile(PACT, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp / "xdg"))
        mp.delenv("TREATYLANG_DEBUG", raising=False)
        mp.setenv("TREATYLANG_NO_CACHE", "1")
        reference = summary(treatylang.load_treaty(path))
        mp.delenv("TREATYLANG_NO_CACHE")
        treatylang.load_treaty(path)
        text = path.read_text(encoding="utf-8")
        name = cache.entry_name("treaty", str(path), text, version=treatylang.__version__,
                                code=tree_json.code_files())
        entry = tmp / "xdg" / "treatylang" / name
        valid = entry.read_bytes()
        assert valid.startswith(cache.MAGIC)
        yield {"path": path, "text": text, "entry": entry, "valid": valid, "reference": reference}


def summary(treaty) -> tuple:
    return (tree_json.dumps("", "", treaty.syntax, treaty.warnings), [d.format() for d in treaty.warnings])


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """`data` with a few random edits."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "splice"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if how == "flip" and out:
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "cut":
            del out[at:at + draw(st.integers(1, 64))]
        elif how == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif how == "truncate":
            del out[at:]
        else:
            other = draw(st.integers(0, max(len(out) - 1, 0)))
            out[at:at] = out[other:other + draw(st.integers(1, 200))]
    return bytes(out)


@seed(20261201)
@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_bytes_at_the_entry_name_give_the_cache_off_treaty(world, data):
    blob = data.draw(st.one_of(st.binary(max_size=2048), mutated(world["valid"]),
                               st.just(cache.MAGIC) | st.just(world["valid"][:40])))
    world["entry"].write_bytes(blob)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(world["entry"].parent.parent))
        got = summary(treatylang.load_treaty(world["path"]))
    assert got == world["reference"]
    assert world["entry"].read_bytes() in (world["valid"], blob)  # rebuilt (or left, if it was the valid one)


@seed(20261202)
@settings(max_examples=1000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_body_behind_a_correct_header_is_refused_or_well_typed(world, data):
    body = world["valid"].split(b"\n", 1)[1]
    bad = data.draw(st.one_of(mutated(body), _json_edits(body)))
    try:
        tree, diagnostics = tree_json.loads(bad, str(world["path"]), world["text"])
    except tree_json.BadEntry:
        return
    tree_json.dumps(str(world["path"]), world["text"], tree, diagnostics)  # every value has its declared type


@st.composite
def _json_edits(draw, body: bytes) -> bytes:
    """The valid body with one JSON value somewhere in the tree replaced by another JSON value."""
    data = json.loads(body)
    paths = []

    def walk(value, where):
        paths.append(where)
        if isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*where, i))

    walk(data["tree"], ())
    where = draw(st.sampled_from(paths[1:]))
    replacement = draw(st.one_of(st.none(), st.booleans(), st.integers(-2, 10**6), st.floats(allow_nan=False),
                                 st.text(max_size=8), st.just([]), st.lists(st.integers(), max_size=3),
                                 st.sampled_from(["Var", "Const", "Party", "Rule", "2023-09-16", "9999-99-99"])))
    target = data["tree"]
    for i in where[:-1]:
        target = target[i]
    target[where[-1]] = replacement
    return json.dumps(data, ensure_ascii=False).encode("utf-8")
