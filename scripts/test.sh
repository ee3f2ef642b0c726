#!/usr/bin/env bash
# Runs every test (README "Test"): the emulator's tests through the official SDK clients, the
# service's fast unit tests and its tests over HTTP against Azurite and the emulator. Finds a
# JDK 21+ itself; extra arguments go to Maven (e.g. -pl service -Dtest=OrdersApiTest).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
./mvnw -B verify "$@"
# A Java client generated from the OpenAPI document the build wrote, run against the app
# (docs/CLIENTS.md); skipped when Maven arguments select something else.
if [ $# -eq 0 ]; then
  ./mvnw -B -Popenapi-client -pl service -am test
fi
