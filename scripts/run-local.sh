#!/usr/bin/env bash
# Starts the whole service locally on its embedded defaults: Azurite (tables, queues), the
# Key Vault and managed-identity emulator with a demo setup, and the app on 127.0.0.1:7071.
# Ctrl-C stops everything. Needs a JDK 21+ and Node.js; everything else is fetched from the
# package registries into the repository's ignored folders (node_modules, target, .local).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STATE="$ROOT/.local"
# Each start keeps its own logs (.local/logs/<UTC time>/, the newest also as .local/logs/latest), so
# that a failed start is not overwritten by the next one; the ten newest starts are kept.
LOGS="$STATE/logs/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$LOGS"
ln -sfn "$(basename "$LOGS")" "$STATE/logs/latest"
find "$STATE/logs" -mindepth 1 -maxdepth 1 -type d -name '2*' | sort | head -n -10 | xargs -r rm -rf

. scripts/lib/jdk.sh
JAVA="$JAVA_HOME/bin/java"

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

failed() { # what happened, log
  echo "$1. The last lines of $2:" >&2
  tail -n 40 "$2" | sed 's/^/  | /' >&2
  exit 1
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid, port, name, log: the port answers, and it is this start's process that answers it
wait_for_port() {
  for _ in $(seq 1 150); do
    kill -0 "$1" 2>/dev/null || failed "$3 exited" "$4"
    listening "$2" && return 0
    sleep 0.2
  done
  failed "$3 did not start within 30 s" "$4"
}

# A port still held (by an earlier run that is still stopping, or by anything else) makes a
# component fail to bind, or worse, makes this run talk to the old one: refuse to start instead.
for port in 10001 10002 8180 7071; do
  if listening "$port"; then
    echo "Port $port is in use; stop what holds it (an earlier run still stopping?) and start again:" >&2
    (ss -ltnp "sport = :$port" 2>/dev/null || true) | sed 's/^/  | /' >&2
    exit 1
  fi
done

[ -f node_modules/azurite/package.json ] || npm ci --no-audit --no-fund
echo "Building (first run downloads dependencies)…"
./mvnw -q -B -DskipTests -pl service -am package
echo "Logs of this start: $LOGS"

node node_modules/azurite/dist/src/table/main.js --tableHost 127.0.0.1 --tablePort 10002 \
  --inMemoryPersistence --disableTelemetry --skipApiVersionCheck >"$LOGS/azurite-table.log" 2>&1 &
pids+=($!); table_pid=$!
node node_modules/azurite/dist/src/queue/main.js --queueHost 127.0.0.1 --queuePort 10001 \
  --inMemoryPersistence --disableTelemetry --skipApiVersionCheck >"$LOGS/azurite-queue.log" 2>&1 &
pids+=($!); queue_pid=$!
wait_for_port "$table_pid" 10002 "Azurite (tables)" "$LOGS/azurite-table.log"
wait_for_port "$queue_pid" 10001 "Azurite (queues)" "$LOGS/azurite-queue.log"

EMULATOR_LOG="$LOGS/emulator.log"
"$JAVA" -jar emulator/target/databox-cmk-emulator.jar --port 8180 --cert-dir "$STATE/emulator" --demo >"$EMULATOR_LOG" 2>&1 &
pids+=($!); emulator_pid=$!
for _ in $(seq 1 150); do
  grep -q '^EMULATOR_READY' "$EMULATOR_LOG" && break
  kill -0 "$emulator_pid" 2>/dev/null || failed "The emulator exited" "$EMULATOR_LOG"
  sleep 0.2
done
grep -q '^EMULATOR_READY' "$EMULATOR_LOG" || failed "The emulator did not start within 30 s" "$EMULATOR_LOG"
setting() { sed -n "s/^$1=//p" "$EMULATOR_LOG" | head -n 1; }
export IDENTITY_ENDPOINT IDENTITY_HEADER EMULATOR_CA_CERT EMULATOR_ADMIN_URL EMULATOR_TENANT_ID CMK_MICROSOFT_KEY_URL \
  EMULATOR_ARM_URL EMULATOR_SUBSCRIPTION_ID EMULATOR_RESOURCE_GROUP EMULATOR_LOCATION EMULATOR_FUNCTION_APP_ID \
  ENTRA_ISSUER ENTRA_JWKS_URI ENTRA_AUDIENCE
IDENTITY_ENDPOINT=$(setting IDENTITY_ENDPOINT)
IDENTITY_HEADER=$(setting IDENTITY_HEADER)
EMULATOR_CA_CERT=$(setting EMULATOR_CA_CERT)
EMULATOR_ADMIN_URL=$(setting EMULATOR_ADMIN_URL)
EMULATOR_TENANT_ID=$(setting EMULATOR_TENANT_ID)
CMK_MICROSOFT_KEY_URL=$(setting CMK_MICROSOFT_KEY_URL)
EMULATOR_ARM_URL=$(setting EMULATOR_ARM_URL)
EMULATOR_SUBSCRIPTION_ID=$(setting EMULATOR_SUBSCRIPTION_ID)
EMULATOR_RESOURCE_GROUP=$(setting EMULATOR_RESOURCE_GROUP)
EMULATOR_LOCATION=$(setting EMULATOR_LOCATION)
EMULATOR_FUNCTION_APP_ID=$(setting EMULATOR_FUNCTION_APP_ID)
ENTRA_ISSUER=$(setting ENTRA_ISSUER)
ENTRA_JWKS_URI=$(setting ENTRA_JWKS_URI)
ENTRA_AUDIENCE=$(setting ENTRA_AUDIENCE)
DEMO_TOKEN=$(setting DEMO_TOKEN)

APP_LOG="$LOGS/app.log"
"$JAVA" -Dquarkus.profile=local -jar service/target/quarkus-app/quarkus-run.jar >"$APP_LOG" 2>&1 &
pids+=($!); app_pid=$!
for _ in $(seq 1 300); do
  curl -sf http://127.0.0.1:7071/q/health/ready >/dev/null 2>&1 && break
  kill -0 "$app_pid" 2>/dev/null || failed "The app exited" "$APP_LOG"
  sleep 0.2
done
curl -sf http://127.0.0.1:7071/q/health/ready >/dev/null || failed "The app did not become ready within 60 s" "$APP_LOG"

# The emulator's settings, for scripts: "set -a; . .local/demo.env; set +a".
grep -E '^[A-Z_]+=' "$EMULATOR_LOG" >"$STATE/demo.env"

cat <<INFO

The Data Box customer-managed-key service is running: http://127.0.0.1:7071/api/orders
(Azurite on 10001/10002, the emulator's admin API on $EMULATOR_ADMIN_URL; logs in $LOGS).
A caller token with every app role, valid for a day, from the emulator's Entra ID issuer:
DEMO_TOKEN=$DEMO_TOKEN
It and the demo vault, key and identity IDs are in .local/demo.env; in another shell:
  set -a; . .local/demo.env; set +a
  curl -s http://127.0.0.1:7071/api/orders -H "Authorization: Bearer \$DEMO_TOKEN"
The README walks the customer-managed-key flow from there. Ctrl-C stops everything.
INFO
wait -n "${pids[@]}" || true
echo "A component stopped; see the logs in $LOGS." >&2
