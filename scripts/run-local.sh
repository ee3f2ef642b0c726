#!/usr/bin/env bash
# Starts the whole service locally on its embedded defaults: Azurite (tables, queues), the
# Key Vault and managed-identity emulator with a demo setup, and the app on 127.0.0.1:7071.
# Ctrl-C stops everything. Needs a JDK 21+ and Node.js; everything else is fetched from the
# package registries into the repository's ignored folders (node_modules, target, .local).
# The app runs as it is shipped: the function app's launcher (service/target/function-app/handler),
# with its JDK AOT cache when one is there. --aot trains that cache on real requests first
# (scripts/train-aot.sh; needs a JDK 25+); every build makes an earlier cache stale.
set -euo pipefail
case "${1:-}" in
  "" | --aot) [ $# -le 1 ] || { echo "usage: scripts/run-local.sh [--aot]" >&2; exit 2; } ;;
  -h | --help) echo "usage: scripts/run-local.sh [--aot]"; exit 0 ;;
  *) echo "usage: scripts/run-local.sh [--aot]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STATE="$ROOT/.local"
# Each start keeps its own logs (.local/logs/<UTC time>/, the newest also as .local/logs/latest), so
# that a failed start is not overwritten by the next one; the ten newest starts are kept.
LOGS="$STATE/logs/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$LOGS"
ln -sfn "$(basename "$LOGS")" "$STATE/logs/latest"
find "$STATE/logs" -mindepth 1 -maxdepth 1 -type d -name '2*' | sort | head -n -10 | xargs -r rm -rf
export STACK_LOGS="$LOGS"

. scripts/lib/jdk.sh
. scripts/lib/local-stack.sh
. scripts/lib/aot-train.sh # aot_jdk
JAVA="$JAVA_HOME/bin/java"
APP="$ROOT/service/target/function-app"

pids=()
# Stops every component and waits for each to exit, so that none holds a port for the next start.
# Ctrl-C ends the run with status 0; a failed start keeps its status.
stop_all() {
  local status=$?
  trap - INT TERM EXIT
  echo; echo "Stopping…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  exit "$status"
}
trap stop_all EXIT
trap 'exit 0' INT TERM

# A port still held (by an earlier run that is still stopping, or by anything else) makes a
# component fail to bind, or worse, makes this run talk to the old one: refuse to start instead.
for port in 10001 10002 8180 7071; do
  if stack_listening "$port"; then
    echo "Port $port is in use; stop what holds it (an earlier run still stopping?) and start again:" >&2
    (ss -ltnp "sport = :$port" 2>/dev/null || true) | sed 's/^/  | /' >&2
    exit 1
  fi
done

[ -f node_modules/azurite/package.json ] || npm ci --no-audit --no-fund
echo "Building (first run downloads dependencies)…"
./mvnw -q -B -DskipTests -pl service -am package

if [ "${1:-}" = "--aot" ]; then
  # On a stack of its own, so that the demo here starts empty.
  echo "Training the JDK AOT cache on real requests (scripts/train-aot.sh)…"
  scripts/train-aot.sh --no-build || echo "Running without the AOT cache." >&2
fi
stack_start "$STATE" 10002 10001 8180

# The launcher takes the JVM of JAVA_HOME; the cache, when there, needs the JDK that wrote it.
if [ -f "$APP/quarkus-app/app.aot" ] && jdk25=$(aot_jdk) && [ -n "$jdk25" ]; then
  export JAVA_HOME="$jdk25"
fi
# JAVA_OPTS, when set, adds JVM flags (a flight recording, say).
JAVA_OPTS="-Dquarkus.profile=local ${JAVA_OPTS:-}" "$APP/handler" >"$LOGS/app.log" 2>&1 &
pids+=($!)
app_wait_ready 7071 "${pids[-1]}" "$LOGS/app.log"

cat <<INFO

The Data Box customer-managed-key service is running: http://127.0.0.1:7071/api/orders
(Azurite on 10001/10002, the emulator's admin API on $EMULATOR_ADMIN_URL; logs in .local/logs/latest/).
What the emulator set up, each on a line of its own: its endpoints, identity header and CA certificate, the
demo vault, key and identities, and DEMO_TOKEN, a caller token with every app role, valid for a day:
$(cat "$STATE/demo.env")
They are in .local/demo.env too; in another shell:
  set -a; . .local/demo.env; set +a
  curl -s http://127.0.0.1:7071/api/orders -H "Authorization: Bearer \$DEMO_TOKEN"
The README walks the customer-managed-key flow from there. Ctrl-C stops everything.
INFO
status=0
wait -n "${pids[@]}" || status=$?
if [ "$status" -eq 0 ]; then
  # As after an interrupt that reached the components but not this shell (started in the background,
  # where SIGINT is ignored and cannot be trapped): an ending, not a failure.
  echo "A component ended; stopping the others."
  exit 0
fi
echo "A component stopped (status $status); see the logs in .local/logs/latest/." >&2
exit 1
