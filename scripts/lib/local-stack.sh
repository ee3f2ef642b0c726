# Sourced by run-local.sh and train-aot.sh: starts Azurite (tables, queues) and the Key Vault /
# managed-identity emulator with its demo setup, on the given ports, and exports the settings the
# app's local profile reads. The caller owns the array "pids" (for stopping) and sets JAVA.
# stack_start STATE_DIR TABLE_PORT QUEUE_PORT EMULATOR_PORT
# Logs go to $STACK_LOGS when set (run-local.sh: one folder per start), else to the state folder.
stack_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stack_failed() { # what happened, log: its last lines, then exit 1
  echo "$1. The last lines of $2:" >&2
  tail -n 40 "$2" 2>/dev/null | sed 's/^/  | /' >&2
  exit 1
}

wait_for_port() { # pid, port, name, log: the port answers, and this start's process is alive
  for _ in $(seq 1 150); do
    kill -0 "$1" 2>/dev/null || stack_failed "$3 exited" "$4"
    stack_listening "$2" && return 0
    sleep 0.2
  done
  stack_failed "$3 did not start within 30 s" "$4"
}

stack_start() {
  local state=$1 table_port=$2 queue_port=$3 emulator_port=$4
  local logs=${STACK_LOGS:-$1}
  mkdir -p "$state" "$logs"
  node node_modules/azurite/dist/src/table/main.js --tableHost 127.0.0.1 --tablePort "$table_port" \
    --inMemoryPersistence --disableTelemetry --skipApiVersionCheck >"$logs/azurite-table.log" 2>&1 &
  pids+=($!); local table_pid=$!
  node node_modules/azurite/dist/src/queue/main.js --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --inMemoryPersistence --disableTelemetry --skipApiVersionCheck >"$logs/azurite-queue.log" 2>&1 &
  pids+=($!); local queue_pid=$!
  wait_for_port "$table_pid" "$table_port" "Azurite (tables)" "$logs/azurite-table.log"
  wait_for_port "$queue_pid" "$queue_port" "Azurite (queues)" "$logs/azurite-queue.log"

  "$JAVA" -jar emulator/target/databox-cmk-emulator.jar --port "$emulator_port" --cert-dir "$state/emulator" --demo \
    >"$logs/emulator.log" 2>&1 &
  pids+=($!); local emulator_pid=$!
  for _ in $(seq 1 150); do
    grep -q '^EMULATOR_READY' "$logs/emulator.log" && break
    kill -0 "$emulator_pid" 2>/dev/null || stack_failed "The emulator exited" "$logs/emulator.log"
    sleep 0.2
  done
  grep -q '^EMULATOR_READY' "$logs/emulator.log" || stack_failed "The emulator did not start within 30 s" "$logs/emulator.log"
  # The emulator's settings, for scripts: "set -a; . .local/demo.env; set +a".
  grep -E '^[A-Z_]+=' "$logs/emulator.log" >"$state/demo.env"
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
    kill -0 "$2" 2>/dev/null || stack_failed "The app exited" "$3"
    sleep 0.2
  done
  stack_failed "The app did not become ready within 60 s" "$3"
}
