#!/usr/bin/env bash
# Issue 16's S/MIME gateway benchmark: N mails of 10 KiB sent over SMTP AUTH as alice@org.example through a
# real organisation James (bin/james, conf/org) to correspondents outside, relayed to an SMTP sink, four
# times on the same James in one run: (a) the gateway off (James alone), (b) signing with alice's own
# certificate (enrolled through the test CA and a CA-role James first), (c) signing and encryption to a
# correspondent's certificate learnt from a signed mail she sent in (AES-256-CBC), (d) the same to one whose
# mail listed AES-GCM (AES-256-GCM). Prints each variant's mails per second, the ratios to (a), the
# organisation James's CPU per mail and heap after a full GC before and after, and the load average
# (dev.acmesmime.deploy.GatewayBenchmark says how each is measured).
#
#   benchmarks/gateway.sh [N] [--key ec256|rsa2048] [-- extra Maven options]
#     N: mails per variant (default 2000). --key: alice's and the correspondent's key type (default ec256).
#   e.g. benchmarks/gateway.sh 2000 --key rsa2048 -- -Dacme.bench.warmup=500 -Dacme.bench.connections=4
#
# Builds through the reactor first (mvn verify of james-deploy and what it needs, tests filtered to the
# benchmark). Needs dnsmasq, openssl, keytool and jcmd. The report is also in
# james-deploy/target/benchmark-gateway-<key>-<N>.txt.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=2000
key=ec256
extra=()
while (($#)); do
  case "$1" in
    --key) (($# >= 2)) || { echo "gateway.sh: --key needs ec256 or rsa2048" >&2; exit 2; }; key="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    [0-9]*) n="$1"; shift ;;
    *) echo "gateway.sh: unknown argument $1" >&2; sed -n '11,13p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
  esac
done
[[ "$key" == ec256 || "$key" == rsa2048 ]] || { echo "gateway.sh: --key must be ec256 or rsa2048" >&2; exit 2; }

cd "$root"
report="james-deploy/target/benchmark-gateway-$key-$n.txt"
rm -f "$report"
mvn -B -q verify -pl james-deploy -am -Dtest=GatewayBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dacme.bench.gateway=true -Dacme.bench.n="$n" -Dacme.bench.key="$key" "${extra[@]}" || status=$?
[[ -f "$report" ]] && cat "$report"
exit "${status:-0}"
