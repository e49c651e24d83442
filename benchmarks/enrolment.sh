#!/usr/bin/env bash
# Issue 15's enrolment benchmark: N mailboxes enrolled through real processes - the test CA
# (james-deploy/bin/test-ca), a CA-role James (bin/james, conf/ca) and an organisation James (bin/james,
# conf/org, enrolment on) talking SMTP to each other - plus, in the same run, the baseline: the test CA's
# own issuance rate with an acme4j client answering the challenges directly. Prints wall time, mailboxes
# per minute and the ratio to the baseline, CPU per mailbox of each process, both James's heap after a
# full GC before and after (dev.acmesmime.deploy.EnrolmentBenchmark says how each is measured).
#
#   benchmarks/enrolment.sh [N] [--key ec256|rsa2048] [-- extra Maven options]
#     N: 1000 (quick run, default) or 10000 (full run). --key: the mailboxes' key type (default ec256).
#   Engine settings of the run (system properties, see EnrolmentBenchmark): e.g.
#     benchmarks/enrolment.sh 1000 -- -Dacme.bench.concurrency=64 -Dacme.bench.baseline=false
#
# Builds through the reactor first (mvn verify of james-deploy and what it needs, tests
# filtered to the benchmark). Needs dnsmasq, keytool and jcmd. The report is also in
# james-deploy/target/benchmark-enrolment-<key>-<N>.txt.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=1000
key=ec256
extra=()
while (($#)); do
  case "$1" in
    --key) (($# >= 2)) || { echo "enrolment.sh: --key needs ec256 or rsa2048" >&2; exit 2; }; key="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    [0-9]*) n="$1"; shift ;;
    *) echo "enrolment.sh: unknown argument $1" >&2; sed -n '9,13p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
  esac
done
[[ "$key" == ec256 || "$key" == rsa2048 ]] || { echo "enrolment.sh: --key must be ec256 or rsa2048" >&2; exit 2; }

cd "$root"
mvn -B -q verify -pl james-deploy -am -Dtest=EnrolmentBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dacme.bench.enrolment=true -Dacme.bench.n="$n" -Dacme.bench.key="$key" "${extra[@]}" || status=$?
report="james-deploy/target/benchmark-enrolment-$key-$n.txt"
[[ -f "$report" ]] && cat "$report"
exit "${status:-0}"
