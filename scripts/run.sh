#!/usr/bin/env bash
# Builds the bundles and runs them in an embedded Felix with the Gogo shell. Arguments go to the launcher
# (--help lists them), e.g. scripts/run.sh --exec "sipfailover:resolve 127.0.0.1 0 tls".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh run
mvn -B -q -ntp package -DskipTests -pl launcher -am
exec java -jar launcher/target/sip-failover-launcher.jar "$@"
