# Sourced by run-local.sh and train-aot.sh, after lib/local-stack.sh's stack_start: the JDK AOT
# cache of the packaged function app, trained on real requests (docs/ARCHITECTURE.md "Start-up").
# aot_train FUNCTION_APP_DIR APP_PORT LOG
# Starts the app through its own launcher with -XX:AOTCacheOutput, runs the customer-managed-key
# flow of the README a few times plus a permission audit, and stops it: the JVM writes
# quarkus-app/app.aot as it exits. Needs a JDK 25 or newer (JEP 514); the launcher uses the cache
# whenever it is there. Any rebuild of the app makes the cache stale: train again after building.

# aot_jdk: a JAVA_HOME of 25 or newer (the caller's, else the first under /usr/lib/jvm), or nothing.
aot_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 25 ] 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
}

# aot_without_profiles JDK: the options that keep the training run's method profiles out of the
# cache, when that JDK has them. The app runs C1 only (jvm.options), which uses no profile; a JVM
# started on a cache with profiles replays them, and C1 then compiled the methods the training run
# had made hot (the flow's, the audit's, Key Vault's) before anything needed them: about 670 more
# compilations and 0.25 s more compiler CPU up to the first 200 (docs/ARCHITECTURE.md "Start-up").
aot_without_profiles() {
  if "$1/bin/java" -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -version >/dev/null 2>&1; then
    echo "-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining"
  fi
}

aot_train() {
  local app=$1 port=$2 log=$3 jdk cache
  jdk=$(aot_jdk)
  [ -n "$jdk" ] || { echo "No JDK 25 or newer: the AOT cache needs one (JEP 514); running without it." >&2; return 1; }
  cache="$app/quarkus-app/app.aot"
  rm -f "$cache"
  JAVA_HOME="$jdk" FUNCTIONS_CUSTOMHANDLER_PORT=$port \
    JAVA_OPTS="-XX:AOTCacheOutput=$cache $(aot_without_profiles "$jdk") -Dquarkus.profile=local -D%local.cmk.storage.connection-string=$STACK_STORAGE_CONNECTION" \
    "$app/handler" >"$log" 2>&1 &
  local pid=$!
  app_wait_ready "$port" "$pid" "$log"
  aot_workload "http://127.0.0.1:$port"
  kill -TERM "$pid"
  # The JVM assembles the cache as it exits, which takes a while on a small machine.
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  wait "$pid" 2>/dev/null || true
  [ -s "$cache" ] || { echo "No AOT cache was written; see $log" >&2; return 1; }
  echo "AOT cache: $cache ($(du -h "$cache" | cut -f1)), trained with $("$jdk/bin/java" -version 2>&1 | head -n 1)"
}

# The requests the cache is trained on: every route of the customer-managed-key flow, several times.
aot_workload() {
  local base=$1 api="$1/api/orders" admin="$EMULATOR_ADMIN_URL/admin" j='Content-Type: application/json' failed=0
  local auth="Authorization: Bearer $DEMO_TOKEN"
  local new_kid run_id status i
  call() { # method url [body]: counts answers other than 2xx
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -X "$1" -H "$auth" -H "$j" ${3:+-d "$3"} "$2")
    case "$code" in 2*) ;; *) failed=$((failed + 1)); echo "  training: $1 $2 answered $code" >&2 ;; esac
  }
  new_kid=$(curl -s -X POST "$admin/vaults/contoso/keys/databox-kek" -d '{"kty":"RSA","size":3072}' \
    | sed 's/.*"kid":"\([^"]*\)".*/\1/')
  for i in 1 2 3 4 5; do
    call GET "$api?top=1"
    call PUT "$api/train-$i" '{"location":"westus","identity":{"type":"UserAssigned","userAssignedIdentities":{"'"$DEMO_IDENTITY_RESOURCE_ID"'":{}}}}'
    call GET "$api/train-$i"
    call POST "$api/train-$i/encryption/enable" '{"kekUrl":"'"$DEMO_KEY_URL"'","kekVaultResourceID":"'"$DEMO_VAULT_RESOURCE_ID"'","identityProperties":{"type":"UserAssigned","userAssigned":{"resourceId":"'"$DEMO_IDENTITY_RESOURCE_ID"'"}}}'
    call POST "$api/train-$i/encryption/validate"
    call POST "$api/train-$i/encryption/change-key" '{"kekUrl":"'"$new_kid"'"}'
    call POST "$api/train-$i/listCredentials"
    call POST "$api/train-$i/encryption/use-microsoft-key"
    call GET "$api"
  done
  call GET "$base/q/openapi"
  # The caller's own tenant's audit (POST /api/audits): the timer's run of every tenant is no caller's to read.
  run_id=$(curl -s -X POST -H "$auth" "$base/api/audits" | sed -n 's/.*"runId" *: *"\([^"]*\)".*/\1/p')
  if [ -n "$run_id" ]; then
    for _ in $(seq 1 100); do
      status=$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$base/api/audits/$run_id")
      [ "$status" = 200 ] && break
      sleep 0.3
    done
  else
    failed=$((failed + 1)); echo "  training: no permission audit run started" >&2
  fi
  echo "AOT training: $((5 * 9 + 2)) requests, $failed not answered 2xx"
}
