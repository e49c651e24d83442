#!/usr/bin/env bash
# Runs DkimBenchmark (issue 3) once and prints throughput and the ratios the README reports:
#   a = our full check (parse + DKIM under the RFC 8823 policy + RFC 8823 rules)
#   b = James 3.8.1's DKIMVerify mailet alone
#   c = crypto floor (one RSA-2048 verification + SHA-256 over the message)
#   e, e2, f = a, a2 and c for the same mail signed with Ed25519 (RFC 8463; issue 14), as time ratios Ed25519/RSA
# Goals: a/b >= 1.0, a/c >= 0.5. Extra arguments go to JMH (default: -f 1 -wi 3 -i 5).
# Usage: benchmarks/run.sh [JMH options]     (from anywhere; builds first unless NO_BUILD=1;
#        INTERLEAVED=1 also runs DkimInterleaved, steadier on a loaded machine)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ "${NO_BUILD:-0}" != 1 ]]; then
  mvn -B -q -Pbench -pl benchmarks -am package -DskipTests
fi
out="benchmarks/target/dkim-jmh.json"
args=("$@")
if [[ ${#args[@]} -eq 0 ]]; then
  args=(-f 1 -wi 3 -i 5)
fi
java -cp "benchmarks/target/classes:$(cat benchmarks/target/cp.txt)" org.openjdk.jmh.Main \
  'dev.acmesmime.benchmarks.DkimBenchmark' -rf json -rff "$out" "${args[@]}"

python3 - "$out" <<'PY'
import json, sys
rows = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
a, b, c = (rows[k]["score"] for k in ("a_ourFullCheck", "b_jamesDkimVerify", "c_cryptoFloor"))
for k, m in rows.items():
    print(f"{k:20s} {m['score']:12.1f} ± {m['scoreError']:.1f} {m['scoreUnit']}")
print(f"a/b = {a / b:.2f}  (goal >= 1.0)")
print(f"a/c = {a / c:.2f}  (goal >= 0.5)")
if "e_ourFullCheckEd25519" in rows:
    e, e2, a2, f = (rows[k]["score"] for k in ("e_ourFullCheckEd25519", "e2_dkimPolicyOnlyEd25519",
                                                "a2_dkimPolicyOnly", "f_cryptoFloorEd25519"))
    # throughputs, so time Ed25519/RSA is the inverse ratio
    print(f"Ed25519/RSA time: full check e/a = {a / e:.2f}, DKIM only e2/a2 = {a2 / e2:.2f}, crypto floor f/c = {c / f:.2f}")
PY

if [[ "${INTERLEAVED:-0}" == 1 ]]; then
  # steadier on a shared machine: the four interleaved in one JVM (see DkimInterleaved)
  java -cp "benchmarks/target/classes:$(cat benchmarks/target/cp.txt)" dev.acmesmime.benchmarks.DkimInterleaved
fi
