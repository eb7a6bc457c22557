#!/usr/bin/env bash
# The benchmarks of issue 3 ("Performance"), in one command:
#
#     bash bench/run.sh [WORKDIR]        # WORKDIR defaults to /tmp/prioritise-bench
#
# 1. installs the Python libraries compared against (pip, only if missing),
# 2. builds the release binary,
# 3. makes the data sets in WORKDIR (about 1 GB; kept between runs; deterministic),
# 4. runs bench/compare.py, which prints a Markdown table on stdout (progress on stderr).
# It takes about 5 to 10 minutes on a 2-core machine, most of it the Python pipelines.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
workdir="${1:-/tmp/prioritise-bench}"
python="${PYTHON:-python3}"

if ! "$python" -c 'import numpy, preflibtools, pref_voting, choix' 2>/dev/null; then
    echo "installing the Python libraries compared against" >&2
    "$python" -m pip install --quiet preflibtools pref_voting choix numpy >&2
fi

echo "building target/release/prioritise" >&2
(cd "$repo" && cargo build --release --quiet -p prioritise) >&2

echo "making the data in $workdir (files already there are kept)" >&2
"$python" "$here/make_data.py" "$workdir" --binary "$repo/target/release/prioritise" >&2

"$python" "$here/compare.py" --workdir "$workdir" --binary "$repo/target/release/prioritise"
