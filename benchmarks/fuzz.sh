#!/usr/bin/env bash
# The fuzzing campaign's long run (issue 14 §4): MutationRun, uninstrumented, on the three core targets
# (inspect, responder, ca-response), INPUTS in all (default 1,000,000, split evenly), each target stopped
# early after MAX_SECONDS (default: no limit). Prints per target and in all: inputs, inputs/s, the worst CPU
# time of one input (and the worst after re-measuring an input over the 10 ms budget), crashes and forgeries
# accepted (goals: 0 and 0). Crash and forgery inputs are saved under core/target/fuzz/crashes/.
# Usage: benchmarks/fuzz.sh   (from anywhere; env INPUTS, MAX_SECONDS, SEED, TARGETS; NO_BUILD=1 skips the build)
# The coverage-guided Jazzer run is the Maven profile fuzz (CI): mvn -Pfuzz test -pl core,mailet -am
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
INPUTS="${INPUTS:-1000000}"
TARGETS="${TARGETS:-inspect,responder,ca-response}"
SEED="${SEED:-8823}"
MAX_SECONDS="${MAX_SECONDS:-100000000}"
if [[ "${NO_BUILD:-0}" != 1 ]]; then
  mvn -B -q test-compile -pl core
  mvn -B -q dependency:build-classpath -pl core -Dmdep.includeScope=test -Dmdep.outputFile="$root/core/target/fuzz-cp.txt"
fi
out="core/target/fuzz"
rm -rf "$out"
count="$(tr ',' '\n' <<<"$TARGETS" | wc -l)"
per=$(( (INPUTS + count - 1) / count ))
status=0
java -Xmx1g -Dfuzz.out="$out" -cp "core/target/test-classes:core/target/classes:$(cat core/target/fuzz-cp.txt)" \
  dev.acmesmime.fuzz.MutationRun "$TARGETS" "$per" "$SEED" "$MAX_SECONDS" 2> "$out.stderr" || status=$?

python3 - "$out" <<'PY'
import glob, sys
rows = []
for f in sorted(glob.glob(sys.argv[1] + "/*.properties")):
    rows.append(dict(l.strip().split("=", 1) for l in open(f) if "=" in l))
print(f"{'target':12s} {'inputs':>10s} {'inputs/s':>9s} {'worst ms':>9s} {'re-measured ms':>15s} {'crashes':>8s} {'forgeries':>10s}")
for r in rows:
    print(f"{r['target']:12s} {int(r['inputs']):>10,d} {float(r['inputsPerSecond']):>9.0f} {float(r['worstCpuMillis']):>9.2f}"
          f" {float(r['worstRemeasuredCpuMillis']):>15.2f} {int(r['crashes']):>8d} {int(r['forgeries']):>10d}")
inputs = sum(int(r["inputs"]) for r in rows)
seconds = sum(float(r["seconds"]) for r in rows)
print(f"{'all':12s} {inputs:>10,d} {inputs / seconds:>9.0f} {max(float(r['worstCpuMillis']) for r in rows):>9.2f}"
      f" {max(float(r['worstRemeasuredCpuMillis']) for r in rows):>15.2f} {sum(int(r['crashes']) for r in rows):>8d}"
      f" {sum(int(r['forgeries']) for r in rows):>10d}")
PY
exit "$status"
