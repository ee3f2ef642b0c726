#!/usr/bin/env bash
# Runs every test (README "Test"): the emulator's tests through the official SDK clients, the
# service's fast unit tests and its tests over HTTP against Azurite and the emulator. Finds a
# JDK 21+ itself; extra arguments go to Maven (e.g. -o -pl service). For one test class, use the command in README
# "Test": -Dtest here would run it in each of the service's four surefire executions.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
# The official Python clients the tests drive (the Data Box management client, Key Vault's) are
# Debian's python3-azure; install it when missing, as Azurite is installed from npm.
if ! /usr/bin/python3 -c "import azure.mgmt.databox, azure.keyvault.keys" 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq python3-azure
  else
    echo "The Python SDK tests need Debian's python3-azure: sudo apt-get install -y python3-azure" >&2
  fi
fi
./mvnw -B verify "$@"
# A Java client generated from the OpenAPI document the build wrote, run against the app
# (docs/CLIENTS.md); skipped when Maven arguments select something else.
if [ $# -eq 0 ]; then
  ./mvnw -B -Popenapi-client -pl service -am test
fi
