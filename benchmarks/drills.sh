#!/usr/bin/env bash
# Issue 14 §5's crash and outage drills on real James 3.8.1 processes (docs/benchmarks.md §9):
#   ca     CaOutageDrill: the ACME server answers 503 for drill.outageSeconds (600) while drill.responses (200)
#          responses arrive over SMTP; the CA James is killed with kill -9 halfway and restarted; then the
#          server recovers. Prints the time from recovery to the last result delivered (goal <= 60 s), results
#          delivered per idempotency key (goal: exactly 1 each) and results lost.
#   flood  OrgFloodDrill: drill.forged (10000) forged challenges (unsigned, wrong key, no pending challenge)
#          over SMTP as fast as James takes them, a genuine challenge every drill.genuineMillis (100) ms;
#          prints the genuine ones' p50/p99/max (goal p99 <= 1 s) and the heap after a full GC; twice: with
#          conf/org's challenge lane (ExpectedChallengeHook) as shipped, then without it (the baseline).
#   all    both (the default).
#
#   benchmarks/drills.sh [ca|flood|all] [-- extra Maven options]
#     e.g. benchmarks/drills.sh ca -- -Ddrill.outageSeconds=120
#          benchmarks/drills.sh ca -- -Ddrill.forwardProperties=forward.retry.maxSeconds=40
#          benchmarks/drills.sh flood -- -Ddrill.forged=20000 -Ddrill.baseline=false   (the lane run only)
#
# Builds through the reactor first (mvn verify of james-deploy and what it needs, tests filtered
# to the drills). Needs dnsmasq, openssl and jcmd. Reports: james-deploy/target/drill-ca.txt, drill-flood.txt.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
which=all
extra=()
while (($#)); do
  case "$1" in
    ca|flood|all) which="$1"; shift ;;
    --) shift; extra=("$@"); break ;;
    *) echo "drills.sh: unknown argument $1" >&2; sed -n '13,16p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
  esac
done
case "$which" in
  ca) tests=CaOutageDrill ;;
  flood) tests=OrgFloodDrill ;;
  all) tests=CaOutageDrill,OrgFloodDrill ;;
esac

cd "$root"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
rm -f james-deploy/target/drill-ca.txt james-deploy/target/drill-flood.txt
mvn -B -q verify -pl james-deploy -am -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dacme.drill=true "${extra[@]}" || status=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for report in james-deploy/target/drill-ca.txt james-deploy/target/drill-flood.txt; do
  [[ -f "$report" ]] && cat "$report"
done
exit "${status:-0}"
