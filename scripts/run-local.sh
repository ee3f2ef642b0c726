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

. scripts/lib/jdk.sh
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
./mvnw -q -B -DskipTests -pl service -am package

node node_modules/azurite/dist/src/table/main.js --tableHost 127.0.0.1 --tablePort 10002 \
  --inMemoryPersistence --disableTelemetry --skipApiVersionCheck >"$STATE/azurite-table.log" 2>&1 &
pids+=($!)
node node_modules/azurite/dist/src/queue/main.js --queueHost 127.0.0.1 --queuePort 10001 \
  --inMemoryPersistence --disableTelemetry --skipApiVersionCheck >"$STATE/azurite-queue.log" 2>&1 &
pids+=($!)
wait_for_port 10002 "Azurite (tables)" "$STATE/azurite-table.log"
wait_for_port 10001 "Azurite (queues)" "$STATE/azurite-queue.log"

"$JAVA" -jar emulator/target/databox-cmk-emulator.jar --port 8180 --cert-dir "$STATE/emulator" --demo >"$STATE/emulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do grep -q '^EMULATOR_READY' "$STATE/emulator.log" && break; sleep 0.2; done
grep -q '^EMULATOR_READY' "$STATE/emulator.log" || { echo "The emulator did not start; see $STATE/emulator.log" >&2; exit 1; }
setting() { sed -n "s/^$1=//p" "$STATE/emulator.log" | head -n 1; }
export IDENTITY_ENDPOINT IDENTITY_HEADER EMULATOR_CA_CERT EMULATOR_ADMIN_URL EMULATOR_TENANT_ID CMK_MICROSOFT_KEY_URL \
  EMULATOR_ARM_URL EMULATOR_SUBSCRIPTION_ID EMULATOR_RESOURCE_GROUP EMULATOR_LOCATION EMULATOR_FUNCTION_APP_ID EMULATOR_VAULT_PORTS EMULATOR_ENTRA_AUTHORITY_HOST \
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
EMULATOR_VAULT_PORTS=$(setting EMULATOR_VAULT_PORTS)
EMULATOR_ENTRA_AUTHORITY_HOST=$(setting EMULATOR_ENTRA_AUTHORITY_HOST)
ENTRA_ISSUER=$(setting ENTRA_ISSUER)
ENTRA_JWKS_URI=$(setting ENTRA_JWKS_URI)
ENTRA_AUDIENCE=$(setting ENTRA_AUDIENCE)
DEMO_TOKEN=$(setting DEMO_TOKEN)

"$JAVA" -Dquarkus.profile=local -jar service/target/quarkus-app/quarkus-run.jar >"$STATE/app.log" 2>&1 &
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

The Data Box customer-managed-key service is running: http://127.0.0.1:7071/api/orders
(Azurite on 10001/10002, the emulator's admin API on $EMULATOR_ADMIN_URL; logs in .local/).
A caller token with every app role, valid for a day, from the emulator's Entra ID issuer:
DEMO_TOKEN=$DEMO_TOKEN
It and the demo vault, key and identity IDs are in .local/demo.env; in another shell:
  set -a; . .local/demo.env; set +a
  curl -s http://127.0.0.1:7071/api/orders -H "Authorization: Bearer \$DEMO_TOKEN"
The README walks the customer-managed-key flow from there. Ctrl-C stops everything.
INFO
wait -n "${pids[@]}" || true
echo "A component stopped; see the logs in .local/." >&2
