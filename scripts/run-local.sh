#!/usr/bin/env bash
# Starts the whole service locally on its embedded defaults: Azurite (tables, queues), the
# Key Vault and managed-identity emulator with a demo setup, and the app on 127.0.0.1:7071.
# Ctrl-C stops everything. Needs a JDK 21+ and Node.js; everything else is fetched from the
# package registries into the repository's ignored folders (node_modules, target, .local).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STATE="$ROOT/.local"
mkdir -p "$STATE"

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"; break
    fi
  done
fi
[ -n "${JAVA_HOME:-}" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] || { echo "A JDK 21 or newer is needed (set JAVA_HOME)." >&2; exit 1; }
JAVA="$JAVA_HOME/bin/java"

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "Stopping…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  exit 0
}
trap stop_all INT TERM EXIT

wait_for_port() { # port, name, log
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$2 did not start; see $3" >&2; exit 1
}

[ -f node_modules/azurite/package.json ] || npm ci --no-audit --no-fund
echo "Building (first run downloads dependencies)…"
./mvnw -q -B -DskipTests package
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$STATE/test-classpath.txt"

node node_modules/azurite/dist/src/table/main.js --tableHost 127.0.0.1 --tablePort 10002 \
  --inMemoryPersistence --disableTelemetry --skipApiVersionCheck >"$STATE/azurite-table.log" 2>&1 &
pids+=($!)
node node_modules/azurite/dist/src/queue/main.js --queueHost 127.0.0.1 --queuePort 10001 \
  --inMemoryPersistence --disableTelemetry --skipApiVersionCheck >"$STATE/azurite-queue.log" 2>&1 &
pids+=($!)
wait_for_port 10002 "Azurite (tables)" "$STATE/azurite-table.log"
wait_for_port 10001 "Azurite (queues)" "$STATE/azurite-queue.log"

"$JAVA" -cp "target/test-classes:target/classes:$(cat "$STATE/test-classpath.txt")" \
  com.databox.cmk.emulator.EmulatorMain --port 8180 --cert-dir "$STATE/emulator" --demo >"$STATE/emulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do grep -q '^EMULATOR_READY' "$STATE/emulator.log" && break; sleep 0.2; done
grep -q '^EMULATOR_READY' "$STATE/emulator.log" || { echo "The emulator did not start; see $STATE/emulator.log" >&2; exit 1; }
setting() { sed -n "s/^$1=//p" "$STATE/emulator.log" | head -n 1; }
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

"$JAVA" -Dquarkus.profile=local -jar target/quarkus-app/quarkus-run.jar >"$STATE/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do
  curl -sf http://127.0.0.1:7071/q/health/ready >/dev/null 2>&1 && break
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "The app exited; see $STATE/app.log" >&2; exit 1; }
  sleep 0.2
done
curl -sf http://127.0.0.1:7071/q/health/ready >/dev/null || { echo "The app did not become ready; see $STATE/app.log" >&2; exit 1; }

# The emulator's settings, for scripts: "set -a; . .local/demo.env; set +a".
grep -E '^[A-Z_]+=' "$STATE/emulator.log" >"$STATE/demo.env"

cat <<INFO

The Data Box customer-managed-key service is running.
  App:                   http://127.0.0.1:7071/api/orders   (logs: .local/app.log)
  Azurite:               tables http://127.0.0.1:10002, queues http://127.0.0.1:10001
  Emulator admin API:    $EMULATOR_ADMIN_URL   (logs: .local/emulator.log)
  Emulator ARM:          $EMULATOR_ARM_URL   (orders' identities; function app $EMULATOR_FUNCTION_APP_ID)
IDENTITY_ENDPOINT=$IDENTITY_ENDPOINT
IDENTITY_HEADER=$IDENTITY_HEADER
EMULATOR_CA_CERT=$EMULATOR_CA_CERT
CMK_MICROSOFT_KEY_URL=$CMK_MICROSOFT_KEY_URL
DEMO_VAULT_URL=$(setting DEMO_VAULT_URL)
DEMO_VAULT_RESOURCE_ID=$(setting DEMO_VAULT_RESOURCE_ID)
DEMO_KEY_URL=$(setting DEMO_KEY_URL)
DEMO_IDENTITY_RESOURCE_ID=$(setting DEMO_IDENTITY_RESOURCE_ID)
DEMO_IDENTITY_NO_ACCESS_RESOURCE_ID=$(setting DEMO_IDENTITY_NO_ACCESS_RESOURCE_ID)

A caller token holding every app role, valid for a day (Microsoft Entra ID's stand-in issued it):
DEMO_TOKEN=$DEMO_TOKEN

Try:
  curl -s -X PUT http://127.0.0.1:7071/api/orders/order-1 -H "Authorization: Bearer $DEMO_TOKEN" \\
    -H 'Content-Type: application/json' -d '{"location":"westus"}'
  curl -s -X PATCH http://127.0.0.1:7071/api/orders/order-1/identity -H "Authorization: Bearer $DEMO_TOKEN" \\
    -H 'Content-Type: application/json' \\
    -d '{"type":"SystemAssigned,UserAssigned","userAssignedIdentities":{"$(setting DEMO_IDENTITY_RESOURCE_ID)":{}}}'
  curl -s http://127.0.0.1:7071/api/orders -H "Authorization: Bearer $DEMO_TOKEN"
The settings above are in .local/demo.env (set -a; . .local/demo.env; set +a).

Press Ctrl-C to stop everything.
INFO
wait -n "${pids[@]}" || true
echo "A component stopped; see the logs in .local/." >&2
