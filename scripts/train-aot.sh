#!/usr/bin/env bash
# Builds the function app (service/target/function-app) and trains its JDK AOT cache on real
# requests against a local stack of its own (Azurite on 20101/20102, the emulator on 18280, the
# app on 17171; logs in .local/train/): quarkus-app/app.aot, which the app's launcher (the
# function app's "handler", also used by run-local.sh) passes to the JVM whenever it is there.
# Needs a JDK 25 or newer for the cache (found under /usr/lib/jvm); --no-build trains the app
# as built.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
. scripts/lib/local-stack.sh
. scripts/lib/aot-train.sh
JAVA="$JAVA_HOME/bin/java"
STATE="$(pwd)/.local/train"
APP="$(pwd)/service/target/function-app"

pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

[ -f node_modules/azurite/package.json ] || npm ci --no-audit --no-fund
if [ "${1:-}" != "--no-build" ]; then
  echo "Building…"
  ./mvnw -q -B -DskipTests -pl service -am package
fi
stack_start "$STATE" 20102 20101 18280
aot_train "$APP" 17171 "$STATE/app.log"
