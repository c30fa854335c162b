#!/usr/bin/env bash
# Runs every test: unit tests, tests against real servers that the tests start on loopback (dnsmasq,
# Kamailio, sipp), and the Pax Exam tests in Felix. Installs the Debian packages it needs first.
#
#   scripts/test.sh --fast   the unit tests alone (the pom's 'fast' profile says what it leaves out), with
#                            only a JDK and Maven; the modules that hold no unit test are not built
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --fast ]; then
  shift
  scripts/install-deps.sh run
  exec mvn -B -ntp -Pfast test -pl '!features,!itests,!itests-karaf,!examples/activator,!bench' "$@"
fi
scripts/install-deps.sh test
exec mvn -B -ntp verify "$@"
