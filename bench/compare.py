#!/usr/bin/env python3
"""Side-by-side benchmarks of `prioritise rank` against the Python libraries a researcher would
otherwise use (issue 3, "Performance"). Each contender is timed as a whole pipeline from the
same file, as a separate process started from here: interpreter or program start, imports,
reading the file, computing, writing the result. Wall-clock time is measured around the
process; peak resident memory comes from `/usr/bin/time -f "%e %M"`. Runs that take under
SHORT seconds are repeated and the best of REPEAT is kept; longer ones run once.

    python3 bench/compare.py [--workdir /tmp/prioritise-bench] [--binary target/release/prioritise]

The data comes from bench/make_data.py; bench/run.sh does everything in one command.
Prints a Markdown report on stdout; progress goes to stderr.

The Python pipelines are this same file run as `compare.py --pipeline NAME FILE`; each prints
one JSON line (its results and the time of each stage, measured inside the process).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHORT = 10.0  # seconds: runs shorter than this are repeated (best of REPEAT)
REPEAT = 3
KEMENY_PY_BUDGET = 90.0  # seconds: pref_voting's kemeny_young runs at one more item only if expected within this


# ---------------------------------------------------------------------------------------------
# The Python pipelines (run in child processes)
# ---------------------------------------------------------------------------------------------

def read_soc_plain(path):
    """Read a .soc with plain Python and numpy: (orders as a 0-based int array n x m, counts, m).
    The header is skipped line by line; the body `count: a,b,c` lines are parsed by numpy at once."""
    import numpy as np

    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = None
    at = 0
    while text.startswith("#", at):
        nl = text.index("\n", at)
        line = text[at:nl]
        if line.startswith("# NUMBER ALTERNATIVES:"):
            m = int(line.split(":", 1)[1])
        at = nl + 1
    body = text[at:].strip().replace(":", ",").replace("\n", ",")
    rows = np.fromstring(body, dtype=np.int64, sep=",").reshape(-1, m + 1)
    return rows[:, 1:] - 1, rows[:, 0], m


def pipeline_pref_voting(path):
    """preflibtools reads the file; pref_voting builds the Profile and runs Borda, Copeland and
    Schulze (pref_voting calls it Beat Path)."""
    t0 = time.perf_counter()
    from preflibtools.instances import OrdinalInstance
    from pref_voting.io.readers import preflib_to_profile
    from pref_voting.scoring_methods import borda
    from pref_voting.c1_methods import copeland
    from pref_voting.margin_based_methods import beat_path

    t1 = time.perf_counter()
    instance = OrdinalInstance()
    instance.parse_file(path)
    t2 = time.perf_counter()
    profile = preflib_to_profile(instance, as_linear_profile=True)  # = Profile.from_preflib(path)
    t3 = time.perf_counter()
    winners = {"borda": borda(profile), "copeland": copeland(profile), "schulze": beat_path(profile)}
    t4 = time.perf_counter()
    # pref_voting numbers candidates 0.. in the order of the sorted alternative numbers 1..m
    return {
        "winners": {k: [str(c + 1) for c in v] for k, v in winners.items()},
        "stages": {"import": t1 - t0, "preflibtools read": t2 - t1, "pref_voting Profile": t3 - t2,
                   "borda+copeland+schulze": t4 - t3},
    }


def pipeline_numpy_margins(path):
    """Plain numpy: read the file, then the margin matrix N[a][b] (voters putting a above b),
    vectorised; and, from N, the Borda, Copeland and Schulze winners as a check."""
    t0 = time.perf_counter()
    import numpy as np

    t1 = time.perf_counter()
    orders, counts, m = read_soc_plain(path)
    t2 = time.perf_counter()
    n = len(orders)
    pos = np.empty((n, m), dtype=np.int8)
    pos[np.arange(n)[:, None], orders] = np.arange(m)  # pos[r, item] = 0-based position
    # float32 matrix-vector products (BLAS) are exact while the voters number under 2^24
    dtype = np.float32 if counts.sum() < 2**24 else np.float64
    w = counts.astype(dtype)
    N = np.empty((m, m), dtype=np.int64)
    for a in range(m):
        N[a] = w @ (pos[:, a, None] < pos).astype(dtype)
    t3 = time.perf_counter()
    M = N - N.T
    borda = N.sum(axis=1)
    copeland = (M > 0).sum(axis=1) - (M < 0).sum(axis=1)
    P = np.where(M > 0, N, 0)  # Schulze, winning votes, Floyd-Warshall
    for k in range(m):
        P = np.maximum(P, np.minimum(P[:, k, None], P[None, k, :]))
    np.fill_diagonal(P, 0)
    schulze_wins = [a for a in range(m) if all(P[a, b] >= P[b, a] for b in range(m) if b != a)]
    t4 = time.perf_counter()
    top = lambda s: [str(i + 1) for i in np.flatnonzero(s == s.max())]
    return {
        "winners": {"borda": top(borda), "copeland": top(copeland), "schulze": [str(a + 1) for a in schulze_wins]},
        "stages": {"import": t1 - t0, "read": t2 - t1, "margin matrix": t3 - t2, "winners from N": t4 - t3},
    }


def pipeline_choix(path):
    """choix's I-LSR maximum-likelihood Plackett-Luce fit of full rankings read from the file."""
    t0 = time.perf_counter()
    import numpy as np
    import choix

    t1 = time.perf_counter()
    orders, counts, m = read_soc_plain(path)
    data = [row for row, c in zip(orders.tolist(), counts.tolist()) for _ in range(c)]
    t2 = time.perf_counter()
    params = choix.ilsr_rankings(m, data)  # defaults: alpha=0 (plain MLE), tol=1e-8
    t3 = time.perf_counter()
    params = params - params.mean()
    return {"log_strengths": {str(i + 1): float(p) for i, p in enumerate(params)},
            "stages": {"import": t1 - t0, "read": t2 - t1, "ilsr_rankings": t3 - t2}}


def pipeline_kemeny(path):
    """pref_voting's Kemeny-Young (it enumerates every order of the candidates)."""
    t0 = time.perf_counter()
    from pref_voting.profiles import Profile
    from pref_voting.other_methods import kemeny_young

    t1 = time.perf_counter()
    profile = Profile.from_preflib(path)
    t2 = time.perf_counter()
    winners = kemeny_young(profile)
    t3 = time.perf_counter()
    return {"winners": {"kemeny": [str(c + 1) for c in winners]},
            "stages": {"import": t1 - t0, "read": t2 - t1, "kemeny_young": t3 - t2}}


PIPELINES = {
    "pref_voting": pipeline_pref_voting,
    "numpy-margins": pipeline_numpy_margins,
    "choix": pipeline_choix,
    "kemeny": pipeline_kemeny,
}


# ---------------------------------------------------------------------------------------------
# The harness
# ---------------------------------------------------------------------------------------------

def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Run:
    def __init__(self, times, peak_kib, stdout):
        self.times = times
        self.best = min(times)
        self.peak_kib = peak_kib
        self.stdout = stdout


def timed(cmd, label, stdout_to_devnull=False, repeat=REPEAT, short=SHORT):
    """Run cmd under /usr/bin/time; wall clock measured here around the process. Repeats while
    the runs are short. Returns a Run with every time, the peak RSS of the best run, and the
    stdout of the last run (unless sent to /dev/null)."""
    times, peaks, out = [], [], None
    for i in range(repeat):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            full = ["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + cmd
            t0 = time.perf_counter()
            p = subprocess.run(full, stdout=subprocess.DEVNULL if stdout_to_devnull else subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            dt = time.perf_counter() - t0
            if p.returncode != 0:
                raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
            line = tf.read().strip().splitlines()[-1]
            peaks.append(int(line.split()[1]))
        times.append(dt)
        out = p.stdout
        log(f"  {label}: run {i + 1}: {dt:.3f} s, peak {peaks[-1] / 1024:.0f} MiB")
        if dt >= short:
            break
    best = min(range(len(times)), key=times.__getitem__)
    return Run(times, peaks[best], out)


def py_pipeline(name, path, label):
    r = timed([sys.executable, os.path.abspath(__file__), "--pipeline", name, path], label)
    r.result = json.loads(r.stdout.strip().splitlines()[-1])
    return r


def ours(binary, args, label, keep_json=False):
    r = timed([binary, "rank"] + args + ["--format", "json"], label, stdout_to_devnull=not keep_json)
    if keep_json:
        r.result = json.loads(r.stdout)
    return r


def our_json(binary, args):
    p = subprocess.run([binary, "rank"] + args + ["--format", "json"], stdout=subprocess.PIPE, check=True)
    return json.loads(p.stdout)


def our_winners(doc):
    out = {}
    for res in doc["results"]:
        out[res["method"]] = sorted(e["item"] for e in res["ranking"] if e["rank"] == 1)
    return out


def versions(binary):
    from importlib.metadata import version, PackageNotFoundError

    v = {"python": platform.python_version()}
    for pkg in ("numpy", "scipy", "preflibtools", "pref_voting", "choix"):
        try:
            v[pkg] = version(pkg)
        except PackageNotFoundError:
            v[pkg] = "not installed"
    v["prioritise"] = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    v["rustc"] = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return v


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {mem} memory, {platform.system()} {platform.release()}"


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def fmt_s(x):
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", default="/tmp/prioritise-bench")
    ap.add_argument("--binary", default=os.path.join(REPO, "target", "release", "prioritise"))
    ap.add_argument("--pipeline", choices=sorted(PIPELINES), help=argparse.SUPPRESS)
    ap.add_argument("file", nargs="?", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.pipeline:
        print(json.dumps(PIPELINES[args.pipeline](args.file)))
        return

    W = lambda name: os.path.join(args.workdir, name)
    B = os.path.abspath(args.binary)
    for name in ("mallows-100k-30.soc", "mallows-1m-30.soc", "sim-1m-30.csv", "pl-10k-30.soc",
                 "kemeny-5k-20.soc", "kemeny-5k-8.soc", "kemeny-5k-9.soc", "kemeny-5k-10.soc", "sim-250-40.csv"):
        if not os.path.exists(W(name)):
            raise SystemExit(f"missing {W(name)}: run bench/make_data.py {args.workdir} first")

    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    load_before = loadavg()
    commit = subprocess.run(["git", "-C", REPO, "log", "-1", "--format=%h"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    rows = []  # (benchmark, python label, python Run or None, our Run, target text, met)
    checks = []
    breakdowns = []
    t_all = time.perf_counter()

    # 1. Borda + Copeland + Schulze, 100,000 x 30 .soc
    soc100k = W("mallows-100k-30.soc")
    three = ["--method", "borda", "--method", "copeland", "--method", "schulze"]
    log("100,000 x 30 .soc: Borda + Copeland + Schulze")
    py = py_pipeline("pref_voting", soc100k, "preflibtools + pref_voting")
    npm = py_pipeline("numpy-margins", soc100k, "numpy margin matrix")
    us = ours(B, [soc100k] + three, "prioritise")
    ratio = py.best / us.best
    rows.append(("Borda + Copeland + Schulze, 100,000 × 30 `.soc`", "preflibtools + pref_voting", py, us,
                 "≥ 50× faster", ratio >= 50))
    ratio_np = npm.best / us.best
    rows.append(("Margin matrix, 100,000 × 30 `.soc` (ours: all three methods)", "numpy (read + N[a][b])", npm, us,
                 "faster than numpy", ratio_np > 1))
    doc = our_json(B, [soc100k] + three)
    w_ours = our_winners(doc)
    agree = all(sorted(py.result["winners"][k]) == w_ours[k] for k in ("borda", "copeland", "schulze"))
    agree_np = all(sorted(npm.result["winners"][k]) == w_ours[k] for k in ("borda", "copeland", "schulze"))
    checks.append(f"100,000 × 30: winners — prioritise {w_ours}, pref_voting {py.result['winners']}, "
                  f"numpy {npm.result['winners']}: {'agree' if agree and agree_np else 'DISAGREE'}")
    breakdowns.append(("preflibtools + pref_voting, 100,000 × 30", py))
    breakdowns.append(("numpy margin matrix, 100,000 × 30", npm))

    # 2. Plackett-Luce, 10,000 x 30 full rankings
    log("Plackett-Luce, 10,000 x 30 .soc")
    pl = W("pl-10k-30.soc")
    py = py_pipeline("choix", pl, "choix ilsr_rankings")
    us = ours(B, [pl, "--method", "plackett-luce"], "prioritise")
    ratio = py.best / us.best
    rows.append(("Plackett–Luce, 10,000 × 30 full rankings `.soc`", "choix `ilsr_rankings`", py, us,
                 "≥ 20× faster", ratio >= 20))
    doc = our_json(B, [pl, "--method", "plackett-luce"])
    ours_ls = {e["item"]: e["score"] for e in doc["results"][0]["ranking"]}
    diff = max(abs(ours_ls[k] - v) for k, v in py.result["log_strengths"].items())
    d = doc["results"][0].get("details", {})
    checks.append(f"Plackett–Luce: max |Δ| of centred log-strengths, prioritise vs choix = {diff:.2e} "
                  f"(ours: {d.get('iterations')} iterations, final relative change {d.get('final_relative_change')}; "
                  f"choix: tol 1e-8 on the L1 change)")
    breakdowns.append(("choix, 10,000 × 30", py))

    # 3. Kemeny exact
    log("Kemeny exact")
    us20 = ours(B, [W("kemeny-5k-20.soc"), "--method", "kemeny"], "prioritise kemeny 20 items")
    rows.append(("Kemeny exact, 5,000 × 20 `.soc`", "—", None, us20, "< 2 s", us20.best < 2.0))
    w20 = our_winners(our_json(B, [W("kemeny-5k-20.soc"), "--method", "kemeny"]))
    kd = our_json(B, [W("kemeny-5k-20.soc"), "--method", "kemeny"])["results"][0].get("details")
    checks.append(f"Kemeny 20 items: winner {w20['kemeny']}; details {json.dumps(kd)}")
    prev = None
    for k in (8, 9, 10):
        f = W(f"kemeny-5k-{k}.soc")
        if not os.path.exists(f):
            continue
        if prev is not None:
            # one more candidate multiplies the orders enumerated by k (and their length a little);
            # starting Python, importing and reading stay about the same
            fixed, search = prev
            expected = fixed + search * k * 1.15
            if expected > KEMENY_PY_BUDGET:
                checks.append(f"pref_voting kemeny_young not run at {k} items: expected ≈ {expected:.0f} s "
                              f"(over the {KEMENY_PY_BUDGET:.0f} s allowed)")
                break
        py = timed([sys.executable, os.path.abspath(__file__), "--pipeline", "kemeny", f],
                   f"pref_voting kemeny_young {k} items", repeat=1)
        py.result = json.loads(py.stdout.strip().splitlines()[-1])
        us = ours(B, [f, "--method", "kemeny"], f"prioritise kemeny {k} items")
        wk = our_winners(our_json(B, [f, "--method", "kemeny"]))
        rows.append((f"Kemeny exact, 5,000 × {k} `.soc`", "pref_voting `kemeny_young`", py, us, "—", None))
        checks.append(f"Kemeny {k} items: winners prioritise {wk['kemeny']}, pref_voting {py.result['winners']['kemeny']}: "
                      f"{'agree' if sorted(py.result['winners']['kemeny']) == wk['kemeny'] else 'DISAGREE'}")
        breakdowns.append((f"pref_voting kemeny_young, 5,000 × {k}", py))
        search = py.result["stages"]["kemeny_young"]
        prev = (py.best - search, search)

    # 4. 1,000,000 x 30
    log("1,000,000 x 30: Borda + Copeland + Schulze")
    us = ours(B, [W("sim-1m-30.csv")] + three, "prioritise CSV")
    size = os.path.getsize(W("sim-1m-30.csv")) / 1e9
    rows.append((f"Borda + Copeland + Schulze, 1,000,000 × 30 exchange CSV ({size:.2f} GB)", "—", None, us,
                 "< 5 s, < 1 GiB", us.best < 5.0 and us.peak_kib < 1024 * 1024))
    us = ours(B, [W("mallows-1m-30.soc")] + three, "prioritise .soc")
    size = os.path.getsize(W("mallows-1m-30.soc")) / 1e6
    rows.append((f"Borda + Copeland + Schulze, 1,000,000 × 30 `.soc` ({size:.0f} MB)", "—", None, us,
                 "< 1.5 s, < 1 GiB", us.best < 1.5 and us.peak_kib < 1024 * 1024))

    # 5. Bootstrap
    log("bootstrap 1000 x 250 x 40")
    us = ours(B, [W("sim-250-40.csv"), "--method", "borda", "--method", "schulze", "--bootstrap", "1000", "--seed", "1"],
              "prioritise bootstrap")
    rows.append(("Bootstrap 1,000 × (250 respondents × 40 items), Borda + Schulze", "—", None, us, "< 1 s",
                 us.best < 1.0))

    elapsed = time.perf_counter() - t_all

    # --- report ---
    out = []
    out.append("| Benchmark | Python pipeline | Python (s) | prioritise (s) | Ratio | prioritise peak RSS | Target | Met |")
    out.append("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |")
    for bench, pylabel, py, us, target, met in rows:
        pys = fmt_s(py.best) if py else "—"
        ratio = f"{py.best / us.best:.0f}×" if py and py.best / us.best >= 10 else (f"{py.best / us.best:.1f}×" if py else "—")
        m = "—" if met is None else ("yes" if met else "**no**")
        out.append(f"| {bench} | {pylabel} | {pys} | {fmt_s(us.best)} | {ratio} | {us.peak_kib / 1024:.0f} MiB | {target} | {m} |")
    out.append("")
    out.append("Times are wall-clock seconds of the whole process (start, imports, reading the file, computing, "
               f"writing), best of {REPEAT} for runs under {SHORT:.0f} s, else a single run. "
               "prioritise runs `prioritise rank FILE --method … --format json > /dev/null`.")
    out.append("")
    out.append("Inside the Python processes (seconds, best run):")
    out.append("")
    for label, r in breakdowns:
        st = ", ".join(f"{k} {v:.3f}" for k, v in r.result["stages"].items())
        out.append(f"- {label}: {st}")
    out.append("")
    out.append("Checks:")
    out.append("")
    for c in checks:
        out.append(f"- {c}")
    out.append("")
    out.append("All runs (seconds):")
    out.append("")
    for bench, pylabel, py, us, target, met in rows:
        pyt = (" / Python " + ", ".join(f"{t:.3f}" for t in py.times)) if py else ""
        out.append(f"- {bench}: prioritise {', '.join(f'{t:.3f}' for t in us.times)}{pyt}")
    out.append("")
    v = versions(B)
    out.append("Environment: " + ", ".join(f"{k} {val}" for k, val in v.items()))
    out.append("")
    out.append(f"Machine: {machine()}; load average {load_before} before, {loadavg()} after; "
               f"commit {commit}{' (with uncommitted changes)' if dirty else ''}; started {started}; "
               f"benchmarks took {elapsed:.0f} s.")
    out.append("")
    out.append("Reproduce: `bash bench/run.sh`")
    print("\n".join(out))


if __name__ == "__main__":
    main()
