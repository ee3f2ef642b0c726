# Sourced by run-local.sh and train-aot.sh: starts Azurite (tables, queues) and the Key Vault /
# managed-identity emulator with its demo setup, on the given ports, and exports the settings the
# app's local profile reads. The caller owns the array "pids" (for stopping) and sets JAVA.
# stack_start STATE_DIR TABLE_PORT QUEUE_PORT EMULATOR_PORT
wait_for_port() { # port, name, log
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$2 did not start; see $3" >&2; exit 1
}

stack_start() {
  local state=$1 table_port=$2 queue_port=$3 emulator_port=$4
  mkdir -p "$state"
  node node_modules/azurite/dist/src/table/main.js --tableHost 127.0.0.1 --tablePort "$table_port" \
    --inMemoryPersistence --disableTelemetry --skipApiVersionCheck >"$state/azurite-table.log" 2>&1 &
  pids+=($!)
  node node_modules/azurite/dist/src/queue/main.js --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --inMemoryPersistence --disableTelemetry --skipApiVersionCheck >"$state/azurite-queue.log" 2>&1 &
  pids+=($!)
  wait_for_port "$table_port" "Azurite (tables)" "$state/azurite-table.log"
  wait_for_port "$queue_port" "Azurite (queues)" "$state/azurite-queue.log"

  "$JAVA" -jar emulator/target/databox-cmk-emulator.jar --port "$emulator_port" --cert-dir "$state/emulator" --demo \
    >"$state/emulator.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do grep -q '^EMULATOR_READY' "$state/emulator.log" && break; sleep 0.2; done
  grep -q '^EMULATOR_READY' "$state/emulator.log" || { echo "The emulator did not start; see $state/emulator.log" >&2; exit 1; }
  # The emulator's settings, for scripts: "set -a; . .local/demo.env; set +a".
  grep -E '^[A-Z_]+=' "$state/emulator.log" >"$state/demo.env"
  set -a
  # shellcheck disable=SC1091
  . "$state/demo.env"
  set +a
  export STACK_STORAGE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;"
}

# app_wait_ready PORT PID LOG: until /q/health/ready answers, or the process exits.
app_wait_ready() {
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "The app exited; see $3" >&2; exit 1; }
    sleep 0.2
  done
  echo "The app did not become ready; see $3" >&2; exit 1
}
