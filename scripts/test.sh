#!/usr/bin/env bash
# Runs every test: unit tests, tests against real servers that the tests start on loopback (dnsmasq,
# Kamailio, sipp), and the Pax Exam tests in Felix. Installs the Debian packages it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
exec mvn -B -ntp verify "$@"
