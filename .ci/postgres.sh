#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the store tests (Debian's PostgreSQL 15 server binaries).
#
#   .ci/postgres.sh start [DIR]  initdb in DIR (default: a new /tmp/acme-smime-pg.XXXXXX), start it on a
#                                free loopback port (unix socket in DIR), and print two eval-able lines:
#                                  export ACME_SMIME_PG_URL='jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres'
#                                  export ACME_SMIME_PG_DIR='DIR'
#   .ci/postgres.sh stop DIR     stop that cluster and delete DIR
#
# In CI (.ci/run):
#   eval "$(.ci/postgres.sh start)"; trap '.ci/postgres.sh stop "$ACME_SMIME_PG_DIR"' EXIT
# The tests then use ACME_SMIME_PG_URL; without it they call this script themselves.
# initdb refuses to run as root: as root, the cluster runs as the OS user "postgres" (created here,
# as a system user without login, if it is missing). Authentication is "trust", loopback only.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGUSER_OS=${ACME_SMIME_PG_OS_USER:-postgres}

die() { echo "postgres.sh: $*" >&2; exit 1; }
[ -x "$PGBIN/initdb" ] || die "no PostgreSQL server binaries in $PGBIN (apt-get install postgresql-15)"

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}

free_port() {
  # Ask the kernel for a free port on loopback.
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
  else
    local p
    for p in $(shuf -i 20000-60000 -n 50); do
      (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    die "no free port found"
  fi
}

case "${1:-}" in
  start)
    DIR=${2:-$(mktemp -d /tmp/acme-smime-pg.XXXXXX)}
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then
      id -u "$PGUSER_OS" >/dev/null 2>&1 \
        || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PGUSER_OS"
      chown "$PGUSER_OS" "$DIR"
    fi
    chmod 700 "$DIR"
    as_owner "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
      || die "initdb failed, see $DIR/initdb.log: $(tail -3 "$DIR/initdb.log")"
    started=
    for attempt in 1 2 3 4 5; do
      PORT=$(free_port)
      if as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 \
          -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null 2>&1; then
        started=1; break
      fi
    done
    [ -n "$started" ] || die "PostgreSQL did not start, see $DIR/postgres.log: $(tail -3 "$DIR/postgres.log")"
    echo "export ACME_SMIME_PG_URL='jdbc:postgresql://127.0.0.1:$PORT/postgres?user=postgres'"
    echo "export ACME_SMIME_PG_DIR='$DIR'"
    ;;
  stop)
    DIR=${2:?usage: postgres.sh stop DIR}
    [ -d "$DIR/data" ] && as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *)
    die "usage: postgres.sh start [DIR] | stop DIR"
    ;;
esac
