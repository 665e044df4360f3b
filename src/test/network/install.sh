#!/usr/bin/env bash
# The system packages the network tests in ./mvnw verify need (reliability/NetworkFaultsIT,
# scaling/NginxProxyIT: network namespaces, iptables, tc, Debian's nginx), installed only when missing.
# Without them (or without root) those tests skip themselves and say why; under CI (CI=true) they fail instead.
set -euo pipefail
DEBS=(iproute2 iptables nginx)
missing=()
for deb in "${DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed' || missing+=("$deb")
done
if ((${#missing[@]})); then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null \
        || { echo "network: apt-get install ${missing[*]} failed" >&2; exit 1; }
fi
# (The tests start nginx themselves, with their own prefix, inside a test host; the distribution's service is left alone.)
echo "network: iproute2, iptables and nginx present ($(nginx -v 2>&1))"
