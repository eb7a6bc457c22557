#!/usr/bin/env python3
"""Make the benchmark data sets, deterministically, in a work directory.

    python3 bench/make_data.py [WORKDIR] [--binary PATH] [--force]

WORKDIR defaults to /tmp/prioritise-bench. Files already present are kept unless --force.
Every file is a function of the fixed seeds below only (numpy's PCG64 `default_rng`, and
`prioritise simulate --seed`), so two runs write the same bytes.

| file | what |
| --- | --- |
| mallows-100k-30.soc | 100,000 strict complete orders over 30 items: a mixture of three Mallows models |
| mallows-1m-30.soc   | 1,000,000 orders from the same mixture (another seed) |
| sim-1m-30.csv       | `prioritise simulate` of bench/exercise-30.toml, round `rank`, 1,000,000 respondents |
| pl-10k-30.soc       | 10,000 full rankings over 30 items drawn from a Plackett-Luce model |
| kemeny-5k-20.soc    | 5,000 orders over 20 items from a two-centre Mallows mixture (Kemeny) |
| kemeny-5k-{8,9,10}.soc | the same 5,000 ballots restricted to their first 8, 9, 10 alternatives |
| sim-250-40.csv      | `prioritise simulate` of bench/exercise-40.toml, 250 respondents (bootstrap) |

The Mallows samples use the repeated insertion model: item i (0-based, in the order of the
centre) is inserted at position j of the i items already placed with probability proportional
to phi^(i - j); phi close to 1 gives many distinct orders, as real surveys have.
"""

import argparse
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def mallows(rng, n, m, centre, phi):
    """n orders (rows of 0-based items, best first) from Mallows(centre, phi)."""
    # pos[r, i]: the position of the centre's i-th item in ballot r among the items placed so far
    pos = np.zeros((n, m), dtype=np.int16)
    for i in range(1, m):
        # P(insert at j) ~ phi^(i-j), j = 0..i
        w = phi ** (i - np.arange(i + 1))
        j = rng.choice(i + 1, size=n, p=w / w.sum()).astype(np.int16)
        block = pos[:, :i]
        block += block >= j[:, None]
        pos[:, i] = j
    # order[r, p] = the centre item at position p
    idx = np.argsort(pos, axis=1, kind="stable")
    return np.asarray(centre)[idx]


def mallows_mixture(rng, n, m, phis, weights):
    comp = rng.choice(len(phis), size=n, p=np.asarray(weights) / np.sum(weights))
    base = rng.permutation(m)
    out = np.empty((n, m), dtype=np.int16)
    for k, phi in enumerate(phis):
        # centres: the base order with a few adjacent blocks moved, so the components agree
        # on much but not everything (a realistic, Condorcet-cycle-prone profile)
        centre = base.copy()
        if k > 0:
            swaps = rng.choice(m - 1, size=m // 3, replace=False)
            for s in swaps:
                centre[s], centre[s + 1] = centre[s + 1], centre[s]
        rows = np.flatnonzero(comp == k)
        out[rows] = mallows(rng, len(rows), m, centre, phi)
    return out


def plackett_luce(rng, n, m, log_strength):
    """n full rankings from PL(log_strength) by the Gumbel-max trick."""
    u = log_strength[None, :] + rng.gumbel(size=(n, m))
    return np.argsort(-u, axis=1, kind="stable").astype(np.int16)


def write_soc(path, orders, title, description):
    """Write orders (0-based items, best first) as a PrefLib .soc, one line per distinct order,
    most frequent first (ties broken by the order itself), alternatives numbered from 1."""
    n, m = orders.shape
    uniq, counts = np.unique(orders, axis=0, return_counts=True)
    key = np.lexsort(tuple(uniq[:, c] for c in range(m - 1, -1, -1)) + (-counts,))
    uniq, counts = uniq[key], counts[key]
    names = [str(i + 1) for i in range(m)]
    tmp = path + ".part"
    with open(tmp, "w", encoding="ascii", newline="\n") as f:
        f.write(f"# FILE NAME: {os.path.basename(path)}\n")
        f.write(f"# TITLE: {title}\n")
        f.write(f"# DESCRIPTION: {description}\n")
        f.write("# DATA TYPE: soc\n")
        f.write("# MODIFICATION TYPE: synthetic\n")
        f.write("# RELATES TO: \n# RELATED FILES: \n")
        f.write("# PUBLICATION DATE: 2025-01-01\n# MODIFICATION DATE: 2025-01-01\n")
        f.write(f"# NUMBER ALTERNATIVES: {m}\n")
        f.write(f"# NUMBER VOTERS: {n}\n")
        f.write(f"# NUMBER UNIQUE ORDERS: {len(uniq)}\n")
        for i in range(m):
            f.write(f"# ALTERNATIVE NAME {i + 1}: Topic {i + 1}\n")
        chunk = 100_000
        for s in range(0, len(uniq), chunk):
            block = uniq[s : s + chunk].tolist()
            cnt = counts[s : s + chunk].tolist()
            f.write(
                "".join(
                    f"{c}: " + ",".join([names[a] for a in row]) + "\n"
                    for c, row in zip(cnt, block)
                )
            )
    os.replace(tmp, path)
    return len(uniq)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workdir", nargs="?", default="/tmp/prioritise-bench")
    ap.add_argument("--binary", default=os.path.join(REPO, "target", "release", "prioritise"))
    ap.add_argument("--force", action="store_true", help="rewrite files already present")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)

    def want(name):
        p = os.path.join(args.workdir, name)
        if os.path.exists(p) and not args.force:
            print(f"kept    {p}", file=sys.stderr)
            return None
        return p

    def done(p, t0, extra=""):
        size = os.path.getsize(p) / 1e6
        print(f"made    {p} ({size:.1f} MB, {time.time() - t0:.1f} s){extra}", file=sys.stderr)

    # (a) and (b): Mallows mixtures over 30 items
    for name, n, seed in (("mallows-100k-30.soc", 100_000, 20250101), ("mallows-1m-30.soc", 1_000_000, 20250102)):
        p = want(name)
        if p:
            t0 = time.time()
            rng = np.random.default_rng(seed)
            orders = mallows_mixture(rng, n, 30, phis=(0.90, 0.92, 0.95), weights=(0.5, 0.3, 0.2))
            u = write_soc(p, orders, f"Benchmark: {n} ballots over 30 items",
                          "Mixture of three Mallows models (phi 0.90, 0.92, 0.95; weights 0.5, 0.3, 0.2)")
            done(p, t0, f", {u} distinct orders")

    # (c) exchange CSV, 1,000,000 respondents over 30 items, and the 250 x 40 bootstrap data
    for name, exercise, n in (("sim-1m-30.csv", "exercise-30.toml", 1_000_000), ("sim-250-40.csv", "exercise-40.toml", 250)):
        p = want(name)
        if p:
            t0 = time.time()
            subprocess.run(
                [args.binary, "simulate", "--exercise", os.path.join(HERE, exercise), "--round", "rank",
                 "--respondents", str(n), "--seed", "1", "--out", p],
                check=True,
            )
            done(p, t0)

    # (d) Plackett-Luce: 10,000 full rankings over 30 items
    p = want("pl-10k-30.soc")
    if p:
        t0 = time.time()
        rng = np.random.default_rng(20250104)
        theta = rng.normal(0.0, 1.0, size=30)
        orders = plackett_luce(rng, 10_000, 30, theta)
        u = write_soc(p, orders, "Benchmark: 10,000 Plackett-Luce rankings over 30 items",
                      "Full rankings drawn from a Plackett-Luce model with N(0,1) log-strengths")
        done(p, t0, f", {u} distinct orders")

    # (e) Kemeny: 5,000 ballots over 20 items, and the same ballots restricted to 8 and 9 items
    names = ("kemeny-5k-20.soc", "kemeny-5k-8.soc", "kemeny-5k-9.soc", "kemeny-5k-10.soc")
    if any(not os.path.exists(os.path.join(args.workdir, x)) for x in names) or args.force:
        t0 = time.time()
        rng = np.random.default_rng(20250105)
        orders = mallows_mixture(rng, 5_000, 20, phis=(0.85, 0.90), weights=(0.6, 0.4))
        p = os.path.join(args.workdir, names[0])
        u = write_soc(p, orders, "Benchmark: 5,000 ballots over 20 items (Kemeny)",
                      "Mixture of two Mallows models (phi 0.85, 0.90; weights 0.6, 0.4)")
        done(p, t0, f", {u} distinct orders")
        for k, name in ((8, names[1]), (9, names[2]), (10, names[3])):
            t0 = time.time()
            sub = orders[orders < k].reshape(len(orders), k)  # keep each ballot's order of items 0..k-1
            p = os.path.join(args.workdir, name)
            u = write_soc(p, sub, f"Benchmark: 5,000 ballots over {k} items (Kemeny)",
                          f"kemeny-5k-20.soc restricted to alternatives 1..{k}")
            done(p, t0, f", {u} distinct orders")


if __name__ == "__main__":
    main()
