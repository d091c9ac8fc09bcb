"""The peers: the same articles in ASP (clingo, in-process) and in Prolog
(SWI-Prolog, in-process through janus-swi or pyswip, else a persistent
``swipl`` process), plus the code that installs them when missing.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CHARTER_LP = os.path.join(HERE, "charter.lp")
CHARTER_PL = os.path.join(HERE, "charter.pl")

_F_ID, _F_TYPE, _F_TARGET, _F_BY, _F_OBJECT, _F_FROM, _F_IN = (
    "id", "type", "target", "by", "object", "launched_from", "in")


def _log(msg: str) -> None:
    print(f"  [setup] {msg}", flush=True)


# ---------------------------------------------------------------------------
# Scenario -> facts (shared by both peers)
# ---------------------------------------------------------------------------
def _targets(x) -> list:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    return list(dict.fromkeys(x))


def scenario_facts(data: dict, members) -> list[tuple]:
    """The scenario as a list of (predicate, args...) facts, without duplicates."""
    facts: list[tuple] = [("party", m) for m in members]
    for aid, a in (data.get("actors") or {}).items():
        if (a or {}).get("kind"):
            facts.append(("kind", aid, a["kind"]))
    for ev in data.get("events") or ():
        e, typ = ev[_F_ID], ev[_F_TYPE]
        if typ == "attack":
            facts.append(("attack", e, ev.get(_F_BY) or "none"))
            facts.append(("attack_object", e, ev.get(_F_OBJECT) or "territory"))
            facts.extend(("attack_target", e, v) for v in _targets(ev.get(_F_TARGET)))
            if ev.get(_F_FROM):
                facts.append(("launched_from", e, ev[_F_FROM]))
            # facts the Charter leaves unknown unless stated: only a stated "yes" is a fact here
            if ev.get("permitted") == "yes":
                facts.append(("attack_permitted", e))
            if ev.get("made_available") == "yes":
                facts.append(("attack_made_available", e))
            if ev.get("deployment"):
                facts.append(("attack_deployment", e, ev["deployment"]))
        elif typ == "blockade":
            facts.append(("blockade", e, ev.get(_F_BY) or "none"))
            if ev.get("by_armed_forces") == "yes":
                facts.append(("blockade_by_armed_forces", e))
            facts.extend(("blockade_target", e, v) for v in _targets(ev.get(_F_TARGET)))
        elif typ in ("terrorism", "organized_crime", "rebellion"):
            if ev.get(_F_IN):
                facts.append((typ, e, ev[_F_IN]))
            if typ == "rebellion":
                facts.extend(("supported_by", e, s) for s in _targets(ev.get("supported_by")))
        elif typ == "threat":
            facts.append(("threat", e, ev.get(_F_BY) or "none"))
            facts.extend(("threat_target", e, v) for v in _targets(ev.get(_F_TARGET)))
    return facts


# ---------------------------------------------------------------------------
# clingo
# ---------------------------------------------------------------------------
def ensure_clingo(install: bool):
    try:
        import clingo  # noqa: F401
        return clingo, None
    except ImportError:
        pass
    if not install:
        return None, "clingo Python package not installed (pip install clingo)"
    _log("pip install clingo")
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "clingo"],
                       capture_output=True, text=True)
    try:
        import importlib
        importlib.invalidate_caches()
        import clingo  # noqa: F401
        return clingo, None
    except ImportError:
        return None, "clingo: pip install clingo failed: " + (r.stderr.strip().splitlines() or ["?"])[-1]


def _asp_str(s: str) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


_ASP_CONST = {"territory", "forces", "vessel", "aircraft",
              "state", "organization", "armed_group",
              "alliance_space", "national_abroad", "multinational_abroad"}


class ClingoPeer:
    name = "clingo"

    def __init__(self, clingo_mod):
        self.clingo = clingo_mod
        with open(CHARTER_LP) as f:
            self.program = f.read()
        self.version = clingo_mod.__version__
        self.how = (f"clingo {self.version}, in-process from Python; timed per evaluation: a new "
                    "Control, program and facts added, ground, solve, and the model's atoms "
                    "read into Python tuples of str")

    def prepare(self, data, members):
        out = []
        for pred, *args in scenario_facts(data, members):
            rendered = [a if a in _ASP_CONST and pred in ("kind", "attack_object", "attack_deployment") and i == 1
                        else _asp_str(a) for i, a in enumerate(args)]
            out.append(f"{pred}({','.join(rendered)}).")
        return "\n".join(out)

    def evaluate(self, facts: str):
        """One evaluation as a Python caller pays it: a new Control, the program
        and the scenario's facts added, ground, solve, and the model's shown
        atoms read into Python tuples of str: (norms, breaches)."""
        ctl = self.clingo.Control(["--warn=none"])
        ctl.add("base", [], self.program)
        ctl.add("base", [], facts)
        ctl.ground([("base", [])])
        symbols = None
        with ctl.solve(yield_=True) as handle:
            for model in handle:
                symbols = model.symbols(shown=True)
        return self.symbols_to_tuples(symbols)

    @staticmethod
    def symbols_to_tuples(symbols):
        """(norms, breaches) as lists of tuples of str. Reading a clingo
        Symbol's arguments one by one from Python is slow (~4x slower than
        this), so each symbol is turned into its string once and split; ids are
        treaty names ([a-z0-9_], so no commas or quotes), which makes the split
        exact. The fastest conversion found through clingo's public API."""
        norms, breaches = [], []
        for text in map(str, symbols or ()):
            name, _, rest = text.partition("(")
            args = tuple(a[1:-1] if a[:1] == '"' else a for a in rest[:-1].split(","))
            (norms if name == "norm" else breaches).append(args)
        return norms, breaches

    @staticmethod
    def to_sets(result):
        return result


# ---------------------------------------------------------------------------
# SWI-Prolog
# ---------------------------------------------------------------------------
def _swipl_version(exe: str):
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout
    except Exception:
        return None
    m = re.search(r"version (\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(x) for x in m.groups()) if m else None


def ensure_swipl(install: bool):
    exe = shutil.which("swipl")
    if exe or not install:
        return exe, (None if exe else "swipl not found (apt-get install -y swi-prolog-nox)")
    if shutil.which("apt-get") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        _log("apt-get install -y swi-prolog-nox")
        r = subprocess.run(["apt-get", "install", "-y", "-q", "swi-prolog-nox"],
                           capture_output=True, text=True, env=env)
        if r.returncode != 0:
            _log("apt-get update")
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env)
            r = subprocess.run(["apt-get", "install", "-y", "-q", "swi-prolog-nox"],
                               capture_output=True, text=True, env=env)
        exe = shutil.which("swipl")
        if exe:
            return exe, None
        return None, "swipl: apt-get install swi-prolog-nox failed"
    return None, "swipl not found and cannot apt-get install it (not root or no apt-get)"


def _pip_install(pkg: str) -> bool:
    _log(f"pip install {pkg}")
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", pkg],
                       capture_output=True, text=True)
    import importlib
    importlib.invalidate_caches()
    return r.returncode == 0


def _answers_call(query):
    """A function that asks `query` for every norm/7 and breach/4 answer, as tuples of str."""
    def call():
        return ([(d["M"], d["Mo"], d["Ac"], d["C"], d["Ar"], d["R"], d["E"])
                 for d in query("norm(M, Mo, Ac, C, Ar, R, E)")],
                [(d["P"], d["Ar"], d["R"], d["E"]) for d in query("breach(P, Ar, R, E)")])
    return call


class _JanusBridge:
    kind = "janus-swi (in-process)"

    def __init__(self, janus):
        self.janus = janus
        janus.consult(CHARTER_PL)

    def query(self, goal: str, var: str = "R"):
        r = self.janus.query_once(goal)
        if not r or r.get("truth") is False:
            raise RuntimeError(f"Prolog goal failed: {goal}")
        return r.get(var)

    def query_call(self):
        """One evaluation the plain janus way: every answer of norm/7 and breach/4."""
        return _answers_call(self.janus.query)

    def text_call(self):
        """A function that runs evaluate_text/2 and returns its two strings."""
        query_once = self.janus.query_once

        def call():
            r = query_once("evaluate_text(NS, BS)")
            return r["NS"], r["BS"]
        return call

    def close(self):
        pass


class _PyswipBridge:
    kind = "pyswip (in-process, ctypes on libswipl)"

    def __init__(self, pyswip):
        self.prolog = pyswip.Prolog()
        self.prolog.consult(CHARTER_PL)

    def query(self, goal: str, var: str = "R"):
        res = list(self.prolog.query(goal, maxresult=1))
        if not res:
            raise RuntimeError(f"Prolog goal failed: {goal}")
        v = res[0].get(var)
        return v

    def query_call(self):
        """One evaluation the plain pyswip way: every answer of norm/7 and breach/4
        through Prolog.query (atoms come back as str)."""
        return _answers_call(self.prolog.query)

    def text_call(self):
        """A function that runs evaluate_text/2 and returns its two strings.

        Through pyswip's own ctypes bindings of libswipl (pyswip.core), not
        Prolog.query: that one parses the goal text on every call and turns
        every answer term into Python objects one field at a time, some 300 µs
        per norm here; this is one predicate call and two strings read."""
        import ctypes

        from pyswip import core as C
        lib = C._lib
        get_nchars = lib["PL_get_nchars"]  # a private function object: pyswip's stays as it is
        get_nchars.argtypes = [C.term_t, ctypes.POINTER(ctypes.c_size_t),
                               ctypes.POINTER(ctypes.c_char_p), ctypes.c_uint]
        get_nchars.restype = ctypes.c_int
        flags = C.CVT_STRING | C.REP_UTF8
        pred = C.PL_predicate("evaluate_text", 2, None)
        open_frame, discard_frame = C.PL_open_foreign_frame, C.PL_discard_foreign_frame
        new_refs, open_query = C.PL_new_term_refs, C.PL_open_query
        next_solution, cut_query = C.PL_next_solution, C.PL_cut_query
        mark, release = C.PL_mark_string_buffers, C.PL_release_string_buffers_from_mark
        qflags = C.PL_Q_NODEBUG | C.PL_Q_CATCH_EXCEPTION
        size, chars, buf_mark = ctypes.c_size_t(), ctypes.c_char_p(), C.buf_mark_t()
        p_size, p_chars, p_mark = ctypes.byref(size), ctypes.byref(chars), ctypes.byref(buf_mark)
        string_at = ctypes.string_at

        def call():
            fid = open_frame()
            try:
                args = new_refs(2)
                qid = open_query(None, qflags, pred, args)
                try:
                    if not next_solution(qid):
                        raise RuntimeError("Prolog goal failed: evaluate_text(NS, BS)")
                    mark(p_mark)
                    try:
                        if not get_nchars(args, p_size, p_chars, flags):
                            raise RuntimeError("evaluate_text/2: not a string")
                        ns = string_at(chars, size.value).decode()
                        if not get_nchars(args + 1, p_size, p_chars, flags):
                            raise RuntimeError("evaluate_text/2: not a string")
                        bs = string_at(chars, size.value).decode()
                    finally:
                        release(p_mark)
                finally:
                    cut_query(qid)
            finally:
                discard_frame(fid)
            return ns, bs
        return call

    def close(self):
        pass


class _ProcessBridge:
    kind = "persistent swipl process (stdin/stdout; timing measured inside Prolog)"

    def __init__(self, exe: str):
        self.proc = subprocess.Popen(
            [exe, "-q", "--no-tty", "-g", "serve", "-t", "halt", CHARTER_PL],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def query(self, goal: str, var: str = "R"):
        # goal is written with a result variable R (same contract as the in-process bridges)
        self.proc.stdin.write(f"q(({goal}), {var}).\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("swipl process ended")
        status, _, payload = line.rstrip("\n").partition(" ")
        if status != "ok":
            raise RuntimeError(f"Prolog goal failed: {goal}: {payload}")
        return ast.literal_eval(payload)

    text_call = query_call = None  # not in-process: no from-Python figure

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def _pl_atom(s: str) -> str:
    return "'" + str(s).replace("\\", "\\\\").replace("'", "\\'") + "'"


class PrologPeer:
    name = "swi-prolog"

    def __init__(self, bridge, version):
        self.bridge = bridge
        self.version = ".".join(map(str, version)) if version else "?"
        self.how = (f"SWI-Prolog {self.version} via {bridge.kind}; facts asserted before timing. "
                    "Inside Prolog: findall of all norms and breaches (evaluate/2), clocked "
                    "inside Prolog. From Python: " +
                    ("one call of evaluate_text/2 (the same findall, written to two strings) "
                     "through the bridge and the strings split into Python tuples of str, "
                     "clocked in Python" if bridge.text_call else
                     "not measured (no in-process bridge)"))
        self.tmpdir = tempfile.mkdtemp(prefix="treatylang-bench-pl-")
        self.loaded = None
        self._text_call = bridge.text_call() if bridge.text_call else None
        self.query_call = bridge.query_call() if bridge.query_call else None

    @property
    def from_python(self) -> bool:
        return self._text_call is not None

    def prepare(self, data, members):
        lines = [f"{pred}({','.join(_pl_atom(a) for a in args)})."
                 for pred, *args in scenario_facts(data, members)]
        path = os.path.join(self.tmpdir, f"facts-{len(lines)}-{id(data)}.pl")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def load(self, path):
        if self.loaded != path:
            self.bridge.query(f"load_facts({_pl_atom(path)}), R = 1")
            self.loaded = path

    def bench(self, path, loops: int):
        """Mean seconds per evaluation over ``loops`` evaluations, clocked inside Prolog."""
        self.load(path)
        return float(self.bridge.query(f"bench({int(loops)}, R, _, _)"))

    def evaluate(self, _path=None):
        """One evaluation from Python, on the facts loaded (``load``): every norm
        and breach as lists of tuples of str."""
        ns, bs = self._text_call()
        f = ns.split("\t")
        f.pop()  # after the last tab
        it = iter(f)
        norms = list(zip(it, it, it, it, it, it, it))
        f = bs.split("\t")
        f.pop()
        it = iter(f)
        return norms, list(zip(it, it, it, it))

    def results(self, path):
        """(norms, breaches) written out by Prolog itself (dump/1), for the check of
        the inside-Prolog figure."""
        self.load(path)
        out = os.path.join(self.tmpdir, "dump.txt")
        self.bridge.query(f"dump({_pl_atom(out)}), R = 1")
        norms, breaches = [], []
        with open(out) as f:  # ids are treaty names: no commas, no quotes
            for line in f:
                args = tuple(line[2:-2].split(","))
                (norms if line[0] == "n" else breaches).append(args)
        os.unlink(out)
        return norms, breaches

    def close(self):
        self.bridge.close()
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def make_prolog(install: bool, force_bridge: str | None = None):
    """Returns (PrologPeer or None, note)."""
    exe, err = ensure_swipl(install)
    if not exe:
        return None, err
    version = _swipl_version(exe)
    notes = []
    order = [force_bridge] if force_bridge else ["janus", "pyswip", "process"]
    for kind in order:
        try:
            if kind == "janus":
                try:
                    import janus_swi as janus
                except ImportError:
                    if version and version < (9, 1, 12):
                        notes.append(f"janus-swi needs SWI-Prolog >= 9.1.12 (have "
                                     f"{'.'.join(map(str, version))})")
                        continue
                    if not (install and _pip_install("janus-swi")):
                        notes.append("janus-swi not installed")
                        continue
                    import janus_swi as janus
                return PrologPeer(_JanusBridge(janus), version), "; ".join(notes)
            if kind == "pyswip":
                try:
                    import pyswip
                except ImportError:
                    if not (install and _pip_install("pyswip")):
                        notes.append("pyswip not installed")
                        continue
                    import pyswip
                return PrologPeer(_PyswipBridge(pyswip), version), "; ".join(notes)
            if kind == "process":
                return PrologPeer(_ProcessBridge(exe), version), "; ".join(notes)
        except Exception as e:  # a bridge that fails to start: try the next one
            notes.append(f"{kind}: {type(e).__name__}: {e}")
    return None, "SWI-Prolog: no working bridge: " + "; ".join(notes)


def timed(fn, *args):
    t0 = time.perf_counter()
    r = fn(*args)
    return time.perf_counter() - t0, r
