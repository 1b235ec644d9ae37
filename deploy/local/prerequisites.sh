#!/usr/bin/env bash
# Installs what the test suite needs beyond a JDK 17: Node.js 20+ with npm (the real JavaScript clients) and Debian's
# Chromium (the browser the end-to-end tests drive). Maven itself comes through ./mvnw; Kafka, PostgreSQL and Keycloak
# come from Maven Central during the build. Safe to run again: it only installs what is missing.
set -euo pipefail

need_apt=()
command -v java >/dev/null || need_apt+=(openjdk-17-jdk-headless)
command -v node >/dev/null || need_apt+=(nodejs npm)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing: ${need_apt[*]}. Install them with: sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
  echo "Installing ${need_apt[*]} from Debian..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or newer is needed (found $(node --version))." >&2
  exit 1
fi
echo "Prerequisites present: $(java -version 2>&1 | head -1), node $(node --version), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
