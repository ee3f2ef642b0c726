#!/usr/bin/env bash
# The benchmark (README "Performance", docs/BENCHMARK.md): builds the app as it ships and the harness (module bench/),
# then runs the harness, which builds its yardsticks (a minimal Quarkus REST app and the floor
# app), starts Azurite and the Key Vault emulator on ports of their own, trains each one's JDK AOT
# cache on real requests, measures, prints the table and writes target/benchmark/results.{json,md}.
# Everything it starts listens on 127.0.0.1 and is stopped when it ends (or on Ctrl-C).
# Extra arguments go to the harness, e.g. --startup-runs 7 --audit-sizes 1000,10000.
set -euo pipefail
for arg in "$@"; do
  case "$arg" in
    -h|--help)
      echo "Usage: $0 [--sections startup,operations,audit,throughput,tls] [--startup-runs N] [--op-samples N]"
      echo "       [--op-warmup N] [--throughput-seconds N] [--audit-sizes N,N] [--audit-keys N,N] [--budget-seconds N]"
      echo "See docs/BENCHMARK.md."
      exit 0 ;;
  esac
done
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STARTED_MS=$(date +%s%3N)
export JAVA_HOME=${BENCHMARK_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$JAVA_HOME/bin/java" ] || { echo "No JDK at $JAVA_HOME (set BENCHMARK_JAVA_HOME to a JDK 25)." >&2; exit 1; }
OUT="$ROOT/target/benchmark"
rm -rf "$OUT"
mkdir -p "$OUT/logs"

[ -f node_modules/azurite/package.json ] || npm ci --no-audit --no-fund
echo "Building the app as it ships, and the harness…"
./mvnw -q -B -DskipTests \
  package dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" \
  >"$OUT/logs/build.log" 2>&1 || { tail -n 40 "$OUT/logs/build.log" >&2; exit 1; }

# The reactor builds bench/ last, so the classpath file is the harness's.
# The SDK floor's managed-identity client reads these from the process environment only;
# the harness starts the emulator on this port with this header.
# BENCHMARK_PORT_OFFSET (default 0) moves every port of the run, for two runs side by side.
PORT_OFFSET=${BENCHMARK_PORT_OFFSET:-0}
export IDENTITY_ENDPOINT=http://127.0.0.1:$((18180 + PORT_OFFSET))/msi/token
export IDENTITY_HEADER=benchmark-identity-header

"$JAVA_HOME/bin/java" -Dbench.root="$ROOT" -Dbench.port-offset="$PORT_OFFSET" -Dbench.started-at-millis="$STARTED_MS" \
  -cp "bench/target/classes:$(cat "$OUT/classpath.txt")" \
  com.databox.cmk.bench.Benchmark "$@" &
harness=$!
trap 'kill "$harness" 2>/dev/null || true; wait "$harness" 2>/dev/null || true' INT TERM EXIT
wait "$harness"
