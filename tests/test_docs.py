"""The documentation's examples are tests: every example in docs/*.md must be true of the code.

Conventions for fenced code blocks (the first word of the info string is the language; GitHub uses only
that word for highlighting, so the rest is free for us):

```treaty                    a complete treaty: must parse and check without errors
```treaty file=NAME.treaty   the same, and written to NAME.treaty in the document's scratch folder
```treaty prelude            (docs/language.md only) the prelude that fragments are added to
```treaty-fragment           a fragment (a rule, an article, a declaration): appended to the prelude,
                             the result must parse and check without errors
```treaty-invalid file=NAME  a treaty that must FAIL to check (to show what `treaty check` reports)
```yaml scenario=NAME.yaml   a scenario: written to NAME.yaml in the scratch folder and validated
                             with `treatylang.load_scenario`
```console run               lines starting with `$ treaty ...` are run in the scratch folder, with every
                             file and scenario of the same document; what follows each command, up to
                             the next `$` line, must be exactly its output (stdout and stderr together)

Each document has its own scratch folder. To refresh the `console run` outputs after a deliberate
change of wording in the code, run `TREATYLANG_UPDATE_GOLDEN=1 python -m pytest tests/test_docs.py`
and read the diff before committing it.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
from pathlib import Path

import pytest

import treatylang
from treatylang import cli

DOCS = Path(__file__).resolve().parent.parent / "docs"
UPDATE = os.environ.get("TREATYLANG_UPDATE_GOLDEN") == "1"
FENCE = re.compile(r"^```([^`\n]*)$")


class Block:
    def __init__(self, doc: Path, line: int, info: str, body: str, start: int, end: int):
        self.doc = doc
        self.line = line  # 1-based line of the opening fence
        words = info.split()
        self.lang = words[0] if words else ""
        self.flags = {w for w in words[1:] if "=" not in w}
        self.options = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        self.body = body
        self.start, self.end = start, end  # character offsets of the body in the document

    @property
    def where(self) -> str:
        return f"{self.doc.name}:{self.line}"


def blocks_of(doc: Path) -> list[Block]:
    text = doc.read_text(encoding="utf-8")
    out, offset, opened = [], 0, None
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        m = FENCE.match(line.rstrip("\n"))
        if m:
            if opened is None:
                opened = (number, m.group(1).strip(), offset + len(line))
            elif not m.group(1).strip():
                start_line, info, start = opened
                out.append(Block(doc, start_line, info, text[start:offset], start, offset))
                opened = None
        offset += len(line)
    assert opened is None, f"{doc.name}:{opened[0]}: a code block is never closed"
    return out


def docs() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def all_blocks(lang: str) -> list[Block]:
    return [b for d in docs() for b in blocks_of(d) if b.lang == lang]


def prelude() -> str:
    found = [b for b in blocks_of(DOCS / "language.md") if b.lang == "treaty" and "prelude" in b.flags]
    assert len(found) == 1, "docs/language.md must hold exactly one ```treaty prelude block"
    return found[0].body


def _ids(blocks):
    return [b.where for b in blocks]


def _check(text: str, where: str):
    try:
        return treatylang.parse_treaty(text, where)
    except treatylang.TreatyError as e:
        pytest.fail(f"{where}: the example does not check:\n{e}")


def test_the_docs_exist():
    for name in ("index.md", "language.md", "time.md", "explanations.md"):
        assert (DOCS / name).is_file(), name


def test_block_markers_are_used_as_documented():
    for d in docs():
        for b in blocks_of(d):  # also fails on a block that is never closed
            if "file" in b.options:
                assert b.lang in ("treaty", "treaty-invalid"), f"{b.where}: file= is for treaty blocks"
            if "scenario" in b.options:
                assert b.lang == "yaml", f"{b.where}: scenario= is for yaml blocks"
            if "prelude" in b.flags:
                assert d.name == "language.md" and b.lang == "treaty", f"{b.where}: the prelude lives in language.md"


@pytest.mark.parametrize("block", all_blocks("treaty"), ids=_ids(all_blocks("treaty")))
def test_treaty_block_checks(block):
    _check(block.body, block.where)


@pytest.mark.parametrize("block", all_blocks("treaty-fragment"), ids=_ids(all_blocks("treaty-fragment")))
def test_treaty_fragment_checks(block):
    text = prelude().rstrip("\n") + "\n\n" + block.body
    _check(text, block.where)


@pytest.mark.parametrize("block", all_blocks("treaty-invalid"), ids=_ids(all_blocks("treaty-invalid")))
def test_invalid_treaty_block_fails(block):
    with pytest.raises(treatylang.TreatyError):
        treatylang.parse_treaty(block.body, block.where)


def scratch(doc: Path, folder: Path) -> list[Block]:
    """Write the document's treaty files and scenarios into `folder`; return its blocks."""
    blocks = blocks_of(doc)
    written = {}
    for b in blocks:
        name = b.options.get("file") or b.options.get("scenario") or b.options.get("invalid")
        if name is None:
            continue
        assert "/" not in name and name not in written, f"{b.where}: '{name}' is defined twice or is a path"
        (folder / name).write_text(b.body, encoding="utf-8")
        written[name] = b
    return blocks


def _docs_with(predicate) -> list[Path]:
    return [d for d in docs() if any(predicate(b) for b in blocks_of(d))]


@pytest.mark.parametrize("doc", _docs_with(lambda b: "scenario" in b.options),
                         ids=lambda d: d.name)
def test_scenario_blocks_load(doc, tmp_path, monkeypatch):
    blocks = scratch(doc, tmp_path)
    monkeypatch.chdir(tmp_path)
    for b in blocks:
        if "scenario" in b.options:
            try:
                scenario = treatylang.load_scenario(b.options["scenario"])
            except treatylang.TreatyError as e:
                pytest.fail(f"{b.where}: the scenario does not load:\n{e}")
            treaty = treatylang.load_treaty(scenario.treaty_path or treatylang.bundled_charter_path())
            treatylang.evaluate(treaty, scenario)


def run_command(command: str) -> str:
    argv = shlex.split(command)
    assert argv[0] == "treaty", f"only `treaty` commands are run, not {argv[0]!r}"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            cli.main(argv[1:])
        except SystemExit:  # a usage error from argparse: its message is the output
            pass
    return out.getvalue()


def _transcript(body: str) -> list[tuple[str, str]]:
    """`$ command` lines and the text after each."""
    pairs, command, lines = [], None, []
    for line in body.splitlines(keepends=True):
        if line.startswith("$ "):
            if command is not None:
                pairs.append((command, "".join(lines)))
            command, lines = line[2:].strip(), []
        else:
            assert command is not None, "a console block must start with a '$ ' line"
            lines.append(line)
    if command is not None:
        pairs.append((command, "".join(lines)))
    return pairs


def normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


@pytest.mark.parametrize("doc", _docs_with(lambda b: b.lang == "console" and "run" in b.flags),
                         ids=lambda d: d.name)
def test_console_outputs_are_true(doc, tmp_path, monkeypatch):
    blocks = scratch(doc, tmp_path)
    monkeypatch.chdir(tmp_path)
    text = doc.read_text(encoding="utf-8")
    failures, replacements = [], []
    for b in blocks:
        if b.lang != "console" or "run" not in b.flags:
            continue
        new_body = []
        for command, shown in _transcript(b.body):
            got = run_command(command)
            if normal(got) != normal(shown):
                failures.append(f"{b.where}: `{command}` prints:\n{got}\n--- but the document shows:\n{shown}")
            new_body.append(f"$ {command}\n{normal(got)}\n" if normal(got) else f"$ {command}\n")
        replacements.append((b.start, b.end, "".join(new_body)))
    if UPDATE and failures:
        for start, end, body in reversed(replacements):
            text = text[:start] + body + text[end:]
        doc.write_text(text, encoding="utf-8")
        return
    assert not failures, "\n\n".join(failures)


DURATION_ROW = re.compile(r"^\| (\d{4}-\d\d-\d\d) \| (\d+) (day|week|month|year)s? \| (\d{4}-\d\d-\d\d) \|$")


def test_duration_table_in_time_md():
    import datetime as dt

    from treatylang.source.dates import add_duration

    rows = [DURATION_ROW.match(line) for line in (DOCS / "time.md").read_text(encoding="utf-8").splitlines()]
    rows = [m for m in rows if m]
    assert len(rows) >= 5, "the table of durations in docs/time.md went missing"
    for m in rows:
        start, amount, unit, expected = m.groups()
        got = add_duration(dt.date.fromisoformat(start), int(amount), unit)
        assert got.isoformat() == expected, f"{start} + {amount} {unit}: {got}, not {expected}"
