#!/usr/bin/env bash
# Writes every output that a refactoring must leave byte-identical into one folder:
# the example report (README's commands) and `--format json` / `--format csv` results of
# `prioritise rank` for every round kind, method set and weighting.
#
#   scripts/same-output.sh BINARY OUT_DIR
#
# Run it with the binary before and after a change and compare: `diff -r before after`.
# The program version and the command line appear in reports; both are the same for two
# builds of one version, so any difference is a real one.
set -euo pipefail
bin=$(realpath "$1")
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"
mkdir -p "$out"
out=$(realpath "$out")
cd "$root"
example=surveys/childrens-social-care/exercise.toml
every=surveys/try-every-kind/exercise.toml
sim=$out/simulated
# Runs a command, keeping its stdout, stderr and exit code: a refusal must stay the same too.
run() {
    local name=$1
    shift
    local code=0
    "$@" > "$out/$name" 2> "$out/$name.stderr" || code=$?
    echo "$code" > "$out/$name.exit"
}
"$bin" simulate --exercise $example --out-dir "$sim" --seed 1
"$bin" curate propose "$sim/suggest.csv" --exercise $example --accept --out "$sim/curation.csv"
# The report is written under its own name so that the command line it records is the same.
"$bin" report "$sim/suggest.csv" "$sim/rate.csv" "$sim/rank.csv" --exercise $example \
    --curation "$sim/curation.csv" --bootstrap 200 --seed 1 --simulated --out "$out/report"
run rank-default.json "$bin" rank "$sim/rank.csv" --exercise $example --by-group \
    --bootstrap 200 --seed 1 --format json
run rank-all.json "$bin" rank "$sim/rank.csv" --exercise $example --method all \
    --weighting equal-groups --seed 1 --format json
run rank.csv "$bin" rank "$sim/rank.csv" --exercise $example --method borda --method schulze \
    --by-group --format csv
run rate-all.json "$bin" rank "$sim/rate.csv" --exercise $example --round rate --method all \
    --by-group --bootstrap 100 --seed 2 --format json
run rate-mean.json "$bin" rank "$sim/rate.csv" --exercise $example --round rate --method mean \
    --method delphi --method top-box --by-group --bootstrap 100 --seed 2 --format json
run rank-table.txt "$bin" rank "$sim/rank.csv" --exercise $example --by-group --top 10
for round in ratings rerate criteria top-three pick-two pairs; do
    "$bin" simulate --exercise $every --round $round --respondents 60 --seed 3 \
        --out "$out/every-$round.csv"
    run "every-$round.json" "$bin" rank "$out/every-$round.csv" --exercise $every \
        --round $round --by-group --bootstrap 50 --seed 4 --format json
    run "every-$round-all.json" "$bin" rank "$out/every-$round.csv" --exercise $every \
        --round $round --method all --format json
done
run every-pairs-plain.json "$bin" rank "$out/every-pairs.csv" --exercise $every --round pairs \
    --by-group --format json
for file in crates/survey/tests/fixtures/preflib/*; do
    run "preflib-$(basename "$file").json" "$bin" rank "$file" --method all --seed 1 --format json
done
# Paths of the temporary folder appear in the report's command line; make them relative.
grep -rl "$out" "$out" | xargs -r sed -i "s#$out#OUT#g"
echo "wrote $(find "$out" -type f | wc -l) files to $out"
