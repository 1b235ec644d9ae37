#!/usr/bin/env bash
# Per-part CPU-time throughput (normalisation, rules, rules+model, injection, secrets, PII, whole scan), best of ROUNDS.
# Needs proxy-service packaged first. Give several proxy-service jars to compare builds alternately in one JVM:
#   ./cpu.sh 40                               # the current build
#   ./cpu.sh 40 /tmp/base.jar ../../proxy-service/target/quarkus-app/app/proxy-service-0.1.0-SNAPSHOT.jar
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
mvn -B -o -q compile
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
rounds="${1:-40}"
shift || true
if [[ $# -eq 0 ]]; then
  set -- ../../proxy-service/target/quarkus-app/app/proxy-service-0.1.0-SNAPSHOT.jar
fi
exec java -XX:+UseSerialGC -cp target/classes io.infershield.proxy.security.CpuTimeProbe "$rounds" \
  "$repo/com/google/re2j/re2j/1.8/re2j-1.8.jar" "$@"
