#!/usr/bin/env bash
# The README's first command: builds the suite and runs it locally on embedded defaults (Kafka in KRaft mode, PostgreSQL,
# Keycloak with the infershield realm, the local keyring instead of Vault, an OpenAI-compatible simulator unless
# OPENAI_API_KEY is set, and an Anthropic simulator unless ANTHROPIC_API_KEY is set). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "Building InferShield (tests skipped; run ./mvnw verify for those)..."
./mvnw -B -q -DskipTests -DskipITs install
cp_file=$(mktemp)
./mvnw -B -q -pl testkit dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$cp_file" >/dev/null
classpath="testkit/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec java -cp "$classpath" io.infershield.testkit.stack.LocalStack "$PWD" e2e/target/dist/keycloak-quarkus-dist.zip
