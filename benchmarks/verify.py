#!/usr/bin/env python3
"""`treaty verify` on treaties of growing size: wall time and peak memory of whole runs (issue #14).

    python benchmarks/verify.py [--quick]    # alone: prints its table
    python benchmarks/run.py --sections verify   # as a section of benchmarks/RESULTS.md

Each case is one `treaty verify` process; its peak memory is the child's maximum resident set size
(os.wait4). Long cases run once (their time is a single measurement, said so); the short ones several
times, and the median is given. A case that would run past its budget is cut short by `--time-budget`
and reported as such, never as a time it did not take.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import gen  # noqa: E402

CHARTER = os.path.join(ROOT, "specs", "aes_charter.treaty")
NATO = os.path.join(ROOT, "examples", "treaties", "north_atlantic.treaty")
RIO = os.path.join(ROOT, "examples", "treaties", "rio.treaty")
WARSAW = os.path.join(ROOT, "examples", "treaties", "warsaw_pact.treaty")

# issue #14's targets: (seconds, MB) or None
TARGETS = {"charter_e3": 4.0, "charter_e4": 60.0, "c12_e1": 60.0, "c12_e1_mb": 500.0, "c12_e2_jobs2": 600.0,
           "speedup": 1.7}


_PEAK = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""  # run with -S: a small process, whose children start small


def run_verify(args: list[str]) -> dict:
    """One `treaty verify` process: seconds, peak MB, exit code, last line of its report."""
    cmd = [sys.executable, "-m", "treatylang.cli", "verify", *args, "--no-progress"]
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # The peak memory is read by a small process in between (/usr/bin/time, or a bare Python): Linux keeps a
    # process's high-water mark across fork and exec, so a child of this (large) process would report ours.
    with tempfile.TemporaryDirectory() as scratch:
        peak = os.path.join(scratch, "peak")
        wrapper = [sys.executable, "-S", "-c", _PEAK, peak, *cmd]
        with open(os.path.join(scratch, "out"), "w+b") as out:
            t0 = time.perf_counter()
            code = subprocess.run(wrapper, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
            seconds = time.perf_counter() - t0
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
        with open(peak) as f:
            kb = int(f.read())
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return {"s": seconds, "mb": kb / 1024, "code": code, "last": lines[-1] if lines else "",
            "space": next((ln for ln in lines if ln.startswith("the space:")), ""), "text": text}


def cases(quick: bool, scratch: str) -> list[tuple]:
    """(key, label, treaty file, options, repeats, budget seconds)."""
    charter12 = os.path.join(scratch, "charter12.treaty")
    with open(CHARTER, encoding="utf-8") as f:
        text = f.read()
    with open(charter12, "w", encoding="utf-8") as f:
        f.write(gen.alliance_treaty(text, 12))
    if quick:
        return [("charter_e1", "Charter, --events 1", CHARTER, ["--events", "1"], 1, 30),
                ("charter_e3", "Charter, --events 3", CHARTER, ["--events", "3"], 1, 30),
                ("c12_e1", "Charter with 12 members, --events 1", charter12, ["--events", "1"], 1, 10),
                ("c12_e1_jobs2", "Charter with 12 members, --events 1 --jobs 2", charter12,
                 ["--events", "1", "--jobs", "2"], 1, 10)]
    return [("charter_e1", "Charter, --events 1", CHARTER, ["--events", "1"], 3, 60),
            ("charter_e2", "Charter, --events 2", CHARTER, ["--events", "2"], 3, 300),
            ("charter_e2_jobs2", "Charter, --events 2 --jobs 2", CHARTER, ["--events", "2", "--jobs", "2"], 3, 300),
            ("charter_e3", "Charter, --events 3", CHARTER, ["--events", "3"], 3, 60),
            ("charter_e4", "Charter, --events 4", CHARTER, ["--events", "4"], 1, 120),
            ("c12_e1", "Charter with 12 members, --events 1", charter12, ["--events", "1"], 3, 120),
            ("c12_e1_jobs2", "Charter with 12 members, --events 1 --jobs 2", charter12,
             ["--events", "1", "--jobs", "2"], 3, 120),
            ("c12_e2", "Charter with 12 members, --events 2", charter12, ["--events", "2"], 3, 600),
            ("c12_e2_jobs2", "Charter with 12 members, --events 2 --jobs 2", charter12,
             ["--events", "2", "--jobs", "2"], 3, 600),
            ("warsaw_e1_jobs2", "Warsaw Pact, --events 1 --jobs 2", WARSAW, ["--events", "1", "--jobs", "2"], 1, 900),
            ("nato_e1_jobs2", "North Atlantic Treaty, --events 1 --jobs 2", NATO, ["--events", "1", "--jobs", "2"], 1, 1800),
            ("rio_e1_jobs2", "Rio Treaty, --events 1 --jobs 2", RIO, ["--events", "1", "--jobs", "2"], 1, 1800)]


def measure(quick: bool) -> tuple[list[list[str]], dict]:
    rows, results = [], {}
    with tempfile.TemporaryDirectory() as scratch:
        for key, label, treaty, options, repeats, budget in cases(quick, scratch):
            runs = [run_verify([treaty, *options, "--time-budget", str(budget)]) for _ in range(repeats)]
            seconds = statistics.median(r["s"] for r in runs)
            mb = max(r["mb"] for r in runs)
            last = runs[-1]
            if last["code"] == 3:
                when = f"cut short at {budget} s"
            elif last["code"] == 2:
                when = "refused: " + last["last"].split(": ", 2)[-1][:160]
            else:
                when = f"{seconds:.1f} s" + (f" (median of {repeats})" if repeats > 1 else " (one run)")
                results[key] = seconds
            results[key + "_mb"] = mb
            space = last["space"].replace("the space: ", "").split(", each for a class")[0]
            rows.append([label, when, f"{mb:.0f} MB", space or "-", str(last["code"])])
            print(f"  {label}: {when}, {mb:.0f} MB", flush=True)
    for serial, shared in (("c12_e2", "c12_e2_jobs2"), ("c12_e1", "c12_e1_jobs2")):  # the longer run if measured
        if serial in results and shared in results:
            results["speedup"] = results[serial] / results[shared]
            results["speedup_case"] = serial
            break
    return rows, results


def section(rep, results: dict, quick: bool) -> None:
    """The section of benchmarks/RESULTS.md (rep: run.py's Report)."""
    rep.add("", "## 8. `treaty verify`", "")
    rep.add("Whole `treaty verify` processes, with `--time-budget` so that none runs past its budget; peak "
            "memory is the largest resident set of the `treaty verify` process and the processes it waits for (with "
            "`--jobs`, its workers, forked from it: their pages shared with it are counted in each). `the space` is "
            "the report's own count: scenarios "
            "of the space, and how many of them were checked (each for a class of scenarios renaming maps onto one "
            "another or no rule tells apart).", "")
    rows, found = measure(quick)
    results.update({"verify_" + k: v for k, v in found.items() if k != "speedup_case"})
    rep.add("| case | time | peak memory | the space; checked | exit |", "|---|---|---|---|---|")
    rep.add(*("| " + " | ".join(r) + " |" for r in rows))
    if "speedup" in found:
        events = found["speedup_case"].rpartition("_e")[2]
        rep.add("", f"`--jobs 2` against one process, 12 members, `--events {events}`: {found['speedup']:.2f}× faster "
                "(on a shared machine, the ratio of medians).")


def target_rows(results: dict, verdict) -> list[list[str]]:
    """Rows for run.py's targets table."""
    rows = []
    for key, label in (("charter_e3", "verify: Charter --events 3 ≤ 4 s"),
                       ("charter_e4", "verify: Charter --events 4 ≤ 60 s"),
                       ("c12_e1", "verify: Charter, 12 members, --events 1 ≤ 60 s"),
                       ("c12_e2_jobs2", "verify: Charter, 12 members, --events 2 --jobs 2 ≤ 10 min")):
        if "verify_" + key + "_mb" in results:
            s = results.get("verify_" + key)
            rows.append([label, f"{s:.1f} s" if s is not None else "cut short", verdict(s is not None and s <= TARGETS[key])])
    for key, label in (("nato_e1_jobs2", "verify: North Atlantic Treaty (12 founding parties), --events 1 completes"),
                       ("rio_e1_jobs2", "(information) verify: Rio Treaty (21 parties), --events 1 completes"),
                       ("warsaw_e1_jobs2", "(information) verify: Warsaw Pact, --events 1 completes")):
        if "verify_" + key + "_mb" in results:
            s = results.get("verify_" + key)
            done = f"{s:.0f} s, {results['verify_' + key + '_mb']:.0f} MB" if s is not None else "cut short"
            rows.append([label, done, verdict(s is not None) if not label.startswith("(") else "(not a target)"])
    if "verify_c12_e1_mb" in results:
        mb = results["verify_c12_e1_mb"]
        rows.append(["verify: 12 members, --events 1, under 500 MB", f"{mb:.0f} MB", verdict(mb < 500)])
    if "verify_speedup" in results:
        x = results["verify_speedup"]
        rows.append(["verify: --jobs 2 at least 1.7× one process (12 members)", f"{x:.2f}×", verdict(x >= 1.7)])
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="four short cases only")
    args = ap.parse_args(argv)

    class Print:
        def add(self, *lines):
            for ln in lines:
                print(ln)

    results: dict = {}
    section(Print(), results, args.quick)
    for row in target_rows(results, lambda ok: "met" if ok else "MISSED"):
        print(" | ".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
