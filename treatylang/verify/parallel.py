"""Running the parts of a `treaty verify` run elsewhere: local worker processes, or a Dask cluster.

The caller cuts its work into parts that are plain data and merges the answers in the order of the parts,
so what it reports does not depend on where, or in which order, the parts ran. Dask is imported only when
a cluster is asked for: `pip install 'treatylang[cluster]'`.
"""

from __future__ import annotations

import os
from typing import Callable, Sequence

CONNECT_TIMEOUT = 10  # seconds to reach a scheduler before saying it cannot be reached


class ParallelError(Exception):
    """A run cannot be shared out as asked (a bad --jobs, a cluster that cannot be reached, no Dask)."""


def parse_jobs(value: str) -> int:
    """`--jobs`: a number of processes; 0 or `auto` is one per core."""
    if str(value).strip().lower() in ("0", "auto"):
        return os.cpu_count() or 1
    try:
        n = int(value)
    except ValueError:
        raise ParallelError(f"expected a number of processes or 'auto', got {value!r}") from None
    if n < 0:
        raise ParallelError(f"expected a number of processes (0 or 'auto': one per core), got {n}")
    return n


def run_units(fn: Callable, units: Sequence, *, jobs: int = 1, cluster: str | None = None,
              on_done: Callable[[int, int, int], None] | None = None) -> list:
    """`[fn(u) for u in units]`, in the order of `units`, in this process (jobs 1), in `jobs` local
    processes, or on a Dask cluster (`tcp://HOST:PORT`, or `local[:N]` for one started here for the run).
    `on_done(index, done, total)` is called here as each part finishes. `fn` is a module-level function."""
    if cluster:
        return _on_cluster(fn, units, cluster, on_done)
    if jobs <= 1:
        out = []
        for i, u in enumerate(units):
            out.append(fn(u))
            if on_done:
                on_done(i, i + 1, len(units))
        return out
    return _in_processes(fn, units, jobs, on_done)


def _in_processes(fn, units, jobs, on_done) -> list:
    import concurrent.futures as cf
    import multiprocessing as mp
    import threading

    # fork where this process runs no other thread: the workers start at once, with what this process has
    # read and laid out (the caller's own state); else a fork server (no threads or locks inherited), else spawn
    methods = mp.get_all_start_methods()
    method = ("fork" if "fork" in methods and threading.active_count() == 1
              else "forkserver" if "forkserver" in methods else "spawn")
    out: list = [None] * len(units)
    with cf.ProcessPoolExecutor(max_workers=min(jobs, max(1, len(units))), mp_context=mp.get_context(method)) as pool:
        futures = {pool.submit(fn, u): i for i, u in enumerate(units)}  # handed out as workers free up
        try:
            for done, f in enumerate(cf.as_completed(futures), 1):
                i = futures[f]
                out[i] = f.result()
                if on_done:
                    on_done(i, done, len(units))
        except BaseException:
            for f in futures:
                f.cancel()
            raise
    return out


def _on_cluster(fn, units, address: str, on_done) -> list:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ParallelError("--cluster needs Dask's distributed scheduler: pip install 'treatylang[cluster]'") from None
    local = None
    if address == "local" or address.startswith("local:"):
        n = address.partition(":")[2]
        try:
            workers = int(n) if n else (os.cpu_count() or 1)
        except ValueError:
            raise ParallelError(f"--cluster local:N needs a number of workers, got {n!r}") from None
        if workers < 1:
            raise ParallelError("--cluster local:N needs at least 1 worker")
        local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        target = local
    elif address.startswith(("tcp://", "tls://", "ws://", "wss://", "inproc://")):
        target = address
    else:
        raise ParallelError(f"--cluster: expected tcp://HOST:PORT (a Dask scheduler) or local[:N], got {address!r}")
    try:
        try:
            client = Client(target, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as e:
            raise ParallelError(f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT} s ({e}); "
                                "is `dask scheduler` running there, and its port open?") from None
        with client:
            futures = client.map(fn, list(units), pure=False)
            index = {f.key: i for i, f in enumerate(futures)}
            out: list = [None] * len(units)
            for done, f in enumerate(as_completed(futures), 1):
                i = index[f.key]
                out[i] = f.result()
                if on_done:
                    on_done(i, done, len(units))
            return out
    finally:
        if local is not None:
            local.close()
