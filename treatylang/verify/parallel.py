# TEMPORARY stand-in until the helper's module lands
import os
class ParallelError(Exception): pass
def parse_jobs(v):
    if v in ("0", "auto"): return os.cpu_count() or 1
    try:
        n = int(v)
    except ValueError:
        raise ParallelError(f"expected a number of processes, or auto; got {v!r}")
    if n < 0: raise ParallelError("must be at least 0")
    return n
def run_units(fn, units, *, jobs=1, cluster=None, on_done=None):
    import concurrent.futures as cf, multiprocessing as mp
    with cf.ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as ex:
        return list(ex.map(fn, units))
