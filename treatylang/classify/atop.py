"""`treaty classify --against FILE --atopid N`: a classification beside an ATOP member-level CSV the user brings.

The file is read as data (the csv module; nothing in it is executed). Members are matched by the Correlates of
War code a party declares (`codes cow N`) and the file's `member` column. When the file holds several rows for
one member (ATOP's phases), the row in effect on the classification date is compared, else the latest one.
A disagreement is a finding to discuss: it is printed with the model's derivation, and the command exits 0.
"""

from __future__ import annotations

import csv
import datetime as dt

import attrs

from treatylang.classify.derive import VARIABLES, Classification

REQUIRED = ("atopid", "member")
MAX_BYTES = 50_000_000  # an ATOP member file is about 1 MB; a file far larger is not one


class AtopError(ValueError):
    """The file cannot be read as an ATOP member-level CSV, or holds no row of the alliance asked."""


@attrs.frozen
class Row:
    line: int
    member: int
    values: dict  # variable -> int (only the variables the file has)
    entered: dt.date | None
    left: dt.date | None
    phase: str


@attrs.define
class Comparison:
    file: str
    atopid: int
    variables: tuple  # the variables compared (those the file has)
    agreement: dict  # variable -> (agree, compared)
    members: dict  # party -> {"cow", "row", "agree": [...], "disagree": [...]} (matched members)
    disagreements: list  # {"member", "variable", "model", "atop", "why"}
    not_in_model: list  # ATOP members no party's code matches: (cow, what the treaty says of it)
    not_in_atop: list  # parties whose code the alliance's rows do not list, or with no code: (party, why)


def _date(row: dict, y: str, m: str, d: str) -> dt.date | None:
    try:
        year, month, day = int(row.get(y) or 0), int(row.get(m) or 0), int(row.get(d) or 0)
    except ValueError:
        return None
    if year <= 0:
        return None
    try:
        return dt.date(year, max(month, 1), max(day, 1))
    except ValueError:
        return None


def read_rows(path: str, atopid: int) -> tuple[list[Row], tuple]:
    """The rows of alliance `atopid`, and the variables the file has (of VARIABLES, in that order)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read(MAX_BYTES + 1)
    except (OSError, UnicodeDecodeError) as e:
        raise AtopError(f"{path}: cannot read the file: {getattr(e, 'strerror', None) or e}") from None
    if len(text) > MAX_BYTES:
        raise AtopError(f"{path}: larger than {MAX_BYTES // 1_000_000} MB: not an ATOP member-level file")
    try:
        reader = csv.DictReader(text.splitlines())
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise AtopError(f"{path}:1: not an ATOP member-level CSV: no column {', '.join(repr(c) for c in missing)} "
                            "(the member file of ATOP has atopid, member, defense, ...)")
        variables = tuple(v for v in VARIABLES if v in header)
        if not variables:
            raise AtopError(f"{path}:1: none of the ATOP variables ({', '.join(VARIABLES)}) is a column of the file")
        rows = []
        for row in reader:
            line = reader.line_num
            if None in row or any(v is None for v in row.values()):
                raise AtopError(f"{path}:{line}: the row does not have as many fields as the header")
            try:
                ident = int(row["atopid"])
            except ValueError:
                raise AtopError(f"{path}:{line}: atopid {row['atopid']!r} is not a number") from None
            if ident != atopid:
                continue
            try:
                member = int(row["member"])
                values = {v: int(float(row[v])) for v in variables if row[v] != ""}
            except ValueError as e:
                raise AtopError(f"{path}:{line}: a member code or a variable is not a number ({e})") from None
            rows.append(Row(line, member, values, _date(row, "yrent", "moent", "dayent"),
                            _date(row, "yrexit", "moexit", "dayexit"), row.get("phase", "")))
    except csv.Error as e:
        raise AtopError(f"{path}: not a CSV file: {e}") from None
    if not rows:
        raise AtopError(f"{path}: no row has atopid {atopid}")
    return rows, variables


def _pick(rows: list[Row], date: dt.date) -> Row:
    """The row in effect on `date`, else the one that entered last (file order breaks ties)."""
    live = [r for r in rows if (r.entered is None or r.entered <= date) and (r.left is None or date <= r.left)]
    pool = live or rows
    return max(pool, key=lambda r: (r.entered or dt.date.min, r.line))


def compare(c: Classification, path: str, atopid: int) -> Comparison:
    rows, variables = read_rows(path, atopid)
    by_member: dict[int, list[Row]] = {}
    for r in rows:
        by_member.setdefault(r.member, []).append(r)
    treaty = c.treaty
    agreement = {v: [0, 0] for v in variables}
    members, disagreements, not_in_atop = {}, [], []
    matched = set()
    for m, x in c.members.items():
        if x.cow is None:
            not_in_atop.append((m, "declares no Correlates of War code (codes cow N)"))
            continue
        if x.cow not in by_member:
            not_in_atop.append((m, f"COW {x.cow} is not a member of ATOP alliance {atopid}"))
            continue
        matched.add(x.cow)
        row = _pick(by_member[x.cow], c.date)
        agree, disagree = [], []
        for v in variables:
            if v not in row.values:
                continue
            ours = x.values[v].value
            agreement[v][1] += 1
            if ours == row.values[v]:
                agreement[v][0] += 1
                agree.append(v)
            else:
                disagree.append(v)
                disagreements.append({"member": m, "variable": v, "model": ours, "atop": row.values[v],
                                      "decided": x.values[v].decided, "why": x.values[v].why})
        members[m] = {"cow": x.cow, "row": row.line, "phase": row.phase,
                      "entered": row.entered.isoformat() if row.entered else None, "agree": agree, "disagree": disagree}
    not_in_model = []
    for cow in sorted(set(by_member) - matched):
        actor = treaty.by_code("cow", cow)
        if actor is None:
            said = "no declaration of the treaty has this code"
        elif actor in treaty.parties:
            said = f"the code of {actor}, not classified here"
        else:
            said = (f"the code of {actor}, declared as an actor, not a party (it becomes one by a scenario's events): "
                    f"classify it as a member with --member {actor}")
        not_in_model.append((cow, said))
    return Comparison(path, atopid, variables, {v: tuple(a) for v, a in agreement.items()}, members,
                      disagreements, not_in_model, not_in_atop)
