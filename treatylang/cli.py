"""The `treaty` command: a thin layer over the public API.

Exit codes: 0 success; 1 an expectation or property failed; 2 bad input (or an output that cannot be
written: `treaty: error: cannot write the output: ...`). A reader that stops early (`| head -1`) does not
change the exit code. Every text from input is printed through treatylang.source.safe_text.escape.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys

import treatylang
from treatylang.render import render
from treatylang.source.dates import parse_date
from treatylang.source.diagnostics import TreatyError, UsageError
from treatylang.source.safe_text import escape, json_text

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return parse_date(text)  # YYYY-MM-DD only, the same on every Python (source/dates.py)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{escape(text)}' is not a date (YYYY-MM-DD)") from None


def _formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's own formatter with the width its default would find: argparse makes a formatter for every
    option it adds, and its default looks the width up through shutil, an import (with bz2 and lzma) that
    would cost every run a few milliseconds."""
    global _WIDTH
    if _WIDTH is None:
        try:
            columns = int(os.environ.get("COLUMNS", ""))
        except ValueError:
            columns = 0
        if columns <= 0:  # as shutil.get_terminal_size: $COLUMNS, else the terminal, else 80
            try:
                columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
            except (AttributeError, ValueError, OSError):
                columns = 0
        _WIDTH = (columns or 80) - 2
    return argparse.HelpFormatter(prog, width=_WIDTH)


_WIDTH: int | None = None


def _parser(argv=None) -> argparse.ArgumentParser:
    """The `treaty` parser. Only the command named in `argv` is built, with its options (building every
    command's parser costs each run a few milliseconds); without one, or with an unknown one, every command
    is listed with its help line."""
    p = argparse.ArgumentParser(
        prog="treaty",
        description="Model treaty texts as rules and see which obligations, permissions, prohibitions "
                    "and breaches a scenario engages, and why.",
        epilog="Exit codes: 0 success, 1 an expectation or property failed, 2 bad input.",
        formatter_class=_formatter,
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    named = next((a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")), None)
    p.commands = {}  # for usage errors found after parsing
    for name, (summary, description, options, _) in COMMANDS.items():
        if named is None or name == named:
            p.commands[name] = command = sub.add_parser(name, help=summary, description=description,
                                                       formatter_class=_formatter)
            options(command)
        elif named not in COMMANDS:  # an unknown command: every one listed, for the error's choices
            sub.add_parser(name, help=summary, add_help=False, formatter_class=_formatter)
    return p


def _eval_options(e) -> None:
    e.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="a scenario YAML file (one at least, but with --library)")
    e.add_argument("--treaty", metavar="FILE", help="treaty file to use instead of the scenario's own")
    e.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format (default: text)")
    e.add_argument("--explain", action="store_true", help="print under each norm the reasoning that produced it")
    e.add_argument("--as-of", type=_date, metavar="DATE", help="report membership on DATE (overrides the scenario's as_of)")
    e.add_argument("--bearer", action="append", metavar="X",
                   help="show only the norms, breaches and effects of X (repeatable)")
    _why_not_options(e, required=False)
    e.add_argument("--library", action="store_true",
                   help="instead of scenarios: the treaties of the library that bind each State on --as-of DATE")
    e.add_argument("--party", action="append", metavar="X",
                   help="with --library: only the treaties binding X, and why each other one does not (repeatable)")


def _compare_options(m) -> None:
    m.add_argument("scenario", metavar="SCENARIO")
    m.add_argument("--treaty", action="append", metavar="FILE_OR_ID",
                   help="a treaty file, or the id of a treaty of the library (repeatable)")
    m.add_argument("--library", action="store_true", help="every treaty of the library")
    m.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format (default: text)")
    m.add_argument("--explain", action="store_true", help="under each cell, the reasoning that produced it")
    m.add_argument("--as-of", type=_date, metavar="DATE", help="judge on DATE (overrides the scenario's as_of)")


def _explain_options(x) -> None:
    x.add_argument("scenario", metavar="SCENARIO")
    x.add_argument("--treaty", metavar="FILE", help="treaty file to use instead of the scenario's own")
    x.add_argument("--as-of", type=_date, metavar="DATE")
    _why_not_options(x, required=False)


def _check_options(c) -> None:
    c.add_argument("treaties", nargs="+", metavar="TREATY")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    c.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: messages on stderr (default); json: every diagnostic as data on stdout")


def _test_options(t) -> None:
    t.add_argument("paths", nargs="*", default=["examples"], metavar="PATH", help="files or folders (default: examples)")
    t.add_argument("--treaty", metavar="FILE", help="treaty file to use instead of each scenario's own")


def _verify_options(v) -> None:
    v.add_argument("treaty", metavar="TREATY")
    v.add_argument("--events", type=int, default=1, metavar="K", help="events per scenario, at most (default 1)")
    v.add_argument("--outsiders", type=int, default=1, metavar="J", help="actors that are not members (default 1)")
    v.add_argument("--only", nargs="+", metavar="EVENT_TYPE", help="only these event types in the scenarios")
    v.add_argument("--parties", nargs="+", metavar="PARTY",
                   help="only these members named in events (the others stay members, as bystanders)")
    v.add_argument("--sample", type=int, metavar="N",
                   help="check N random scenarios drawn by hypothesis instead of every one (for spaces too large)")
    v.add_argument("--seed", type=int, default=0, metavar="S", help="seed of --sample: the same seed, the same scenarios (default 0)")
    v.add_argument("--renamings", type=int, default=2, metavar="R",
                   help="renamed copies of each scenario checked for renaming invariance; every one when there are "
                        "at most R (default 2)")
    v.add_argument("--time-budget", type=float, metavar="SECONDS",
                   help="stop after this long and report what was checked (exit 3 if nothing failed)")
    v.add_argument("--jobs", default="1", metavar="N", help="worker processes on this machine (0 or auto: one per core; default 1)")
    v.add_argument("--cluster", metavar="ADDRESS",
                   help="run on a Dask cluster: tcp://HOST:PORT of its scheduler, or local[:N] to start one here "
                        "(needs pip install 'treatylang[cluster]')")
    v.add_argument("--no-progress", action="store_true", help="no progress bar (it is shown only on a terminal)")


def _classify_options(k) -> None:
    k.add_argument("treaty", metavar="TREATY")
    k.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format (default: text)")
    k.add_argument("--against", metavar="FILE", help="an ATOP member-level CSV to compare with (needs --atopid)")
    k.add_argument("--atopid", type=int, metavar="N", help="the alliance's atopid in that file")
    k.add_argument("--as-of", type=_date, metavar="DATE",
                   help="the date of the canonical scenarios (default: the day after every party is a member)")
    k.add_argument("--member", action="append", metavar="ACTOR",
                   help="also classify this declared State as a member (one that becomes a party later; repeatable)")


def _why_not_options(p, required: bool) -> None:
    p.add_argument("--why-not", metavar="BEARER", required=required,
                   help="explain why BEARER bears no (other) norm: each rule that could have applied and what failed, "
                        "and each change of its membership that did not happen")
    p.add_argument("--why-not-deemed", metavar="FACT",
                   help="explain why no FACT was deemed from each event that could have given one")
    p.add_argument("--article", action="append", metavar="N",
                   help="only article N (repeatable): the results shown, and the rules --why-not asks")
    p.add_argument("--counterparty", metavar="X", help="with --why-not: only norms owed to X")


def _treaties(args):
    """Each treaty file loaded once for the whole command (`--treaty` first: its errors come first)."""
    treaties = treatylang.treaty_cache(args.treaty)
    if args.treaty is not None:
        treaties.get(args.treaty)
    return treaties


def cmd_eval(args) -> int:
    if args.library:
        from treatylang.compare.binding import run_cli  # on use: an ordinary `treaty eval` need not import it

        return run_cli(args)
    treaties = _treaties(args)
    results = []
    for path in args.scenarios:
        scenario = treatylang.load_scenario(path, treaties=treaties)
        results.append(treatylang.evaluate(scenario.treaty, scenario, as_of=args.as_of))
    shown = [treatylang.select(r, args.bearer, args.article) for r in results]  # every name checked first
    out = render(shown, args.format, explain=args.explain)
    if args.why_not or args.why_not_deemed:
        out += "\n" + "\n".join(_why_not(r, args) for r in results)
    sys.stdout.write(out)
    return EXIT_OK


def _why_not(result, args) -> str:
    """The why-not reports asked for: of a bearer (--why-not), of a fact (--why-not-deemed)."""
    from treatylang.explain.why_not import render_why_not, render_why_not_deemed  # on use: start-up time

    out = []
    if args.why_not:
        out.append(render_why_not(result, args.why_not, args.article, args.counterparty))
    if args.why_not_deemed:
        out.append(render_why_not_deemed(result, args.why_not_deemed, args.article))
    return "\n".join(out)


def cmd_explain(args) -> int:
    scenario = treatylang.load_scenario(args.scenario, treaties=_treaties(args))
    result = treatylang.evaluate(scenario.treaty, scenario, as_of=args.as_of)
    sys.stdout.write(_why_not(result, args))
    return EXIT_OK


def cmd_check(args) -> int:
    status = EXIT_OK
    report = []
    for path in args.treaties:
        try:
            treaty = treatylang.load_treaty(path, strict=args.strict)
        except treatylang.TreatyError as e:
            report.append({"file": path, "ok": False, "diagnostics": [d.to_json() for d in e.diagnostics]})
            if args.format == "text":
                for d in e.diagnostics:
                    print(d.format(), file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        report.append({"file": path, "ok": True, "diagnostics": [w.to_json() for w in treaty.warnings]})
        if args.format == "json":
            continue
        for w in treaty.warnings:
            print(w.format(), file=sys.stderr)
        counts = [(len(treaty.parties), "party", "parties"), (len(treaty.syntax.articles), "article", "articles"),
                  (len(treaty.rules), "rule", "rules"), (len(treaty.warnings), "warning", "warnings")]
        said = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n or many != "warnings")
        print(escape(f"{path}: ok: {said}"))
        print(escape(f"{path}: model status: {treaty.status.summary()}"))
    if args.format == "json":
        print(json_text(json.dumps(report, indent=2, ensure_ascii=False)))
    return status


def cmd_test(args) -> int:
    from treatylang.casebook.runner import run_cli  # on use: `treaty eval` need not pay for importing it

    return run_cli(args)


def cmd_verify(args) -> int:
    from treatylang.verify.properties import run_cli  # on use: `treaty eval` need not pay for importing it

    return run_cli(args)


def cmd_compare(args) -> int:
    from treatylang.compare import run_cli  # on use: `treaty eval` need not pay for importing it

    return run_cli(args)


def cmd_classify(args) -> int:
    from treatylang.classify import run_cli  # on use: `treaty eval` need not pay for importing it

    return run_cli(args)


# name: (help line, description, options, runner), in the order `treaty --help` lists them
COMMANDS = {
    "eval": ("evaluate scenarios: who owes what, under which article",
             "Evaluate YAML scenarios against their treaty and print, for each member, the norms each event engages, "
             "breaches and membership effects.", _eval_options, cmd_eval),
    "explain": ("explain why a State bears no norm, or a fact was not deemed (why not?)",
                "Explain every rule that could have given BEARER a norm in the scenario and did not, and each change of "
                "its membership that did not happen; or (--why-not-deemed) why no FACT was deemed.",
                _explain_options, cmd_explain),
    "check": ("parse and check treaty files", "Parse and check treaty files; print diagnostics.", _check_options, cmd_check),
    "test": ("run the casebook: scenarios with an `expect` block",
             "Run every scenario that has an `expect` block (files or folders, recursively).", _test_options, cmd_test),
    "verify": ("check properties of a treaty over every small scenario",
               "Enumerate every scenario up to K events over the members and J outsiders and check renaming invariance, "
               "symmetry, reciprocity, absence of conflicts and that every rule can fire.", _verify_options, cmd_verify),
    "compare": ("one scenario under several treaties, side by side, differences first",
                "Evaluate one scenario under each treaty given (or every treaty of the library) and print who owes whom "
                "what under which article of which treaty, differences first.", _compare_options, cmd_compare),
    "classify": ("the treaty's obligations in the terms of the ATOP data set, derived from the model",
                 "Derive each member's ATOP variables (defense, offense, neutral, nonagg, consul, active, the conditions "
                 "of defence, asymm) by evaluating the model on canonical scenarios built from its own declarations; "
                 "each value with its derivation.", _classify_options, cmd_classify),
}


def _usage_problem(args) -> str | None:
    """A combination of options argparse cannot refuse by itself."""
    if args.command == "eval":
        problem = _eval_library_problem(args)
        if problem:
            return problem
    if args.command == "compare" and args.library == bool(args.treaty):
        return "give either --library or --treaty FILE_OR_ID (repeated), not both" if args.library else \
            "give the treaties to compare: --treaty FILE_OR_ID (repeated) or --library"
    if args.command == "explain" and args.why_not is None and args.why_not_deemed is None:
        return "one of --why-not BEARER or --why-not-deemed FACT is required"
    if args.command in ("eval", "explain") and args.why_not is None and args.counterparty is not None:
        return "--counterparty needs --why-not BEARER"
    if args.command == "eval" and (args.why_not or args.why_not_deemed) and args.format == "json":
        return "--why-not answers in text, which would break the JSON; use `treaty explain SCENARIO --why-not BEARER`"
    return None


def _eval_library_problem(args) -> str | None:
    """`treaty eval --library --as-of DATE [--party X] [--format F]` takes no scenario and no other option."""
    if not args.library:
        if not args.scenarios:
            return "the following arguments are required: SCENARIO (or --library --as-of DATE)"
        return "--party needs --library (to choose what is shown of a scenario's result: --bearer X)" if args.party else None
    if args.scenarios:
        return "--library lists the treaties of the library that bind a State on a date; give no SCENARIO with it"
    if args.as_of is None:
        return "--library needs --as-of DATE"
    others = [flag for flag, given in (("--treaty", args.treaty), ("--explain", args.explain),
                                       ("--bearer", args.bearer), ("--why-not", args.why_not),
                                       ("--why-not-deemed", args.why_not_deemed), ("--article", args.article),
                                       ("--counterparty", args.counterparty)) if given]
    return f"--library takes only --as-of, --party and --format, not {', '.join(others)}" if others else None


class OutputError(Exception):
    """Standard output cannot be written (closed, a full disk...): reported in one line, exit 2."""


class _Guarded:
    """sys.stdout or sys.stderr for one command, so that where the output goes cannot change the verdict.

    - A reader that stops early (`treaty test | head -1`) closes the pipe: the rest of the output is
      discarded (standard output is pointed at os.devnull, as the Python docs' note on SIGPIPE advises) and
      the command runs to the end, so it keeps its exit code; a failing case still exits 1.
    - Any other failure to write standard output (closed with `>&-`, `>/dev/full`) raises OutputError.
    - Standard error failing is not reported (there is nowhere to report it): its output is discarded.
    """

    def __init__(self, stream, name: str):
        self._stream, self._name, self._discard = stream, name, False

    def write(self, text: str) -> int:
        if self._discard:
            return len(text)
        if self._stream is None:
            return self._failed(None)
        try:
            return self._stream.write(text)
        except OSError as e:
            return self._failed(e, len(text))

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._discard or self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as e:
            self._failed(e)

    def _failed(self, error: OSError | None, written: int = 0) -> int:
        self._discard = True
        if self._stream is not None:
            try:  # what the stream still holds goes to os.devnull, not to an error at exit
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, self._stream.fileno())
                os.close(devnull)
            except (OSError, ValueError, AttributeError):
                pass
        if self._name == "stdout" and not isinstance(error, BrokenPipeError):
            raise OutputError("standard output is closed" if error is None else error.strerror or str(error))
        return written

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv=None) -> int:
    """Run `treaty ARGV`; the exit code. Output that cannot be written is exit 2, a closed pipe changes nothing."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Guarded(saved[0], "stdout"), _Guarded(saved[1], "stderr")
    try:
        try:
            status = _main(argv)
        except SystemExit:  # argparse's --help and usage errors: their output is flushed the same way
            sys.stdout.flush()
            raise
        sys.stdout.flush()
    except OutputError as e:
        print(f"treaty: error: cannot write the output: {e}", file=sys.stderr)
        status = EXIT_BAD_INPUT
    finally:
        sys.stdout, sys.stderr = saved
    return status


def _main(argv) -> int:
    parser = _parser(argv)
    args = parser.parse_args(argv)
    problem = _usage_problem(args)
    if problem:
        parser.commands[args.command].error(problem)  # usage and message on stderr, exit 2
    try:
        return COMMANDS[args.command][3](args)
    except TreatyError as e:
        for d in e.diagnostics:
            print(d.format(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except UsageError as e:
        print(escape(f"treaty {args.command}: error: {e}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except OutputError:
        raise
    except Exception as e:  # a bug of ours, not bad input: say so plainly
        if os.environ.get("TREATYLANG_DEBUG"):
            raise
        print(escape(f"treaty: internal error: {type(e).__name__}: {e} "
                     "(set TREATYLANG_DEBUG=1 for details; please report it)"), file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
