"""Parts of a run in other processes or on a Dask cluster: answers in the order of the parts, errors said
plainly, and the same report whatever runs it."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from treatylang import cli
from treatylang.verify.parallel import ParallelError, parse_jobs, run_units

DATA = Path(__file__).resolve().parent.parent / "data"


def square_or_fail(x):
    if x == "boom":
        raise ValueError("part boom failed")
    return x * x


def run(*argv) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(["verify", *map(str, argv), "--no-progress"])
    return code, re.sub(r" in [\d.]+ s", " in T s", out.getvalue())


@pytest.fixture(scope="module")
def dask_cluster():
    import distributed  # in the test extra, as in the cluster extra
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    yield cluster.scheduler_address
    cluster.close()


def test_answers_come_back_in_the_order_of_the_parts_and_each_is_reported_done(dask_cluster):
    units = list(range(20))
    expected = [x * x for x in units]
    for options in ({}, {"jobs": 2}, {"cluster": dask_cluster}):
        seen = []
        assert run_units(square_or_fail, units, on_done=lambda i, done, n: seen.append((i, done, n)),
                         **options) == expected
        assert sorted(i for i, _, _ in seen) == units and [d for _, d, _ in seen] == list(range(1, 21))


def test_a_failing_part_fails_the_run_with_its_message(dask_cluster):
    for options in ({"jobs": 2}, {"cluster": dask_cluster}):
        with pytest.raises(ValueError, match="part boom failed"):
            run_units(square_or_fail, [1, "boom", 3], **options)


def test_jobs_and_cluster_addresses_are_checked():
    assert parse_jobs("3") == 3 and parse_jobs("auto") == parse_jobs("0") >= 1
    with pytest.raises(ParallelError, match="number of processes"):
        parse_jobs("two")
    with pytest.raises(ParallelError, match="tcp://HOST:PORT"):
        run_units(square_or_fail, [1], cluster="nowhere")
    code, out = run(DATA / "asymmetric.treaty", "--jobs", "-1")
    assert code == 2 and "--jobs" in out


def test_an_unreachable_scheduler_is_said_within_the_timeout(monkeypatch):
    import socket

    from treatylang.verify import parallel

    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT", 2)
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, out = run(DATA / "asymmetric.treaty", "--cluster", f"tcp://127.0.0.1:{port}")
    assert code == 2 and f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in out


def test_the_report_is_the_same_on_a_cluster(dask_cluster):
    here = run(DATA / "asymmetric.treaty", "--events", "2")
    there = run(DATA / "asymmetric.treaty", "--events", "2", "--cluster", dask_cluster)
    assert here == there and here[0] == 1


def test_workers_are_forked_with_the_caller_s_state_only_where_it_runs_no_other_thread(tmp_path):
    import os
    import subprocess
    import sys
    import textwrap

    (tmp_path / "forkcheck.py").write_text('STATE = "fresh"\n\n\ndef state(_):\n    return STATE\n', encoding="utf-8")
    script = textwrap.dedent("""
        import json, threading
        import forkcheck
        from treatylang.verify.parallel import run_units
        forkcheck.STATE = "the caller's"
        print(json.dumps(run_units(forkcheck.state, [1, 2], jobs=2)))
        stop = threading.Event()
        other = threading.Thread(target=stop.wait)
        other.start()
        try:
            print(json.dumps(run_units(forkcheck.state, [1, 2], jobs=2)))
        finally:
            stop.set()
            other.join()
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(Path(__file__).resolve().parents[2])]))
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ['["the caller\'s", "the caller\'s"]', '["fresh", "fresh"]']
