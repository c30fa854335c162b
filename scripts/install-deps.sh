#!/usr/bin/env bash
# Installs the Debian packages a job needs, only those that are missing.
#   scripts/install-deps.sh run    JDK 17 and Maven
#   scripts/install-deps.sh test   the same, plus the real servers the tests start (DNS, SIP registrar, sipp)
#   scripts/install-deps.sh bench  the same as test, plus the SIP clients the benchmarks compare (baresip, linphonec)
set -euo pipefail

packages=(openjdk-17-jdk-headless maven)
if [ "${1:-run}" = test ] || [ "${1:-run}" = bench ]; then
  packages+=(dnsmasq-base kamailio kamailio-outbound-modules kamailio-tls-modules sip-tester openssl)
fi
if [ "${1:-run}" = bench ]; then
  packages+=(baresip linphone-cli)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# a JDK 17 or newer from elsewhere (SDKMAN, Temurin) will do as well as Debian's
if [[ " ${missing[*]} " == *" openjdk-17-jdk-headless "* ]] && command -v javac >/dev/null \
    && [ "$(javac -version 2>&1 | sed -E 's/javac ([0-9]+).*/\1/')" -ge 17 ]; then
  missing=("${missing[@]/openjdk-17-jdk-headless}")
fi
if [[ " ${missing[*]} " == *" maven "* ]] && command -v mvn >/dev/null; then
  missing=("${missing[@]/maven}")
fi
read -r -a missing <<< "${missing[*]}"
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]} (run as root, or install them first)" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
