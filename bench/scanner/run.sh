#!/usr/bin/env bash
# Builds and runs the scanner benchmark offline. Needs proxy-service packaged first:
#   (cd ../.. && mvn -B -o -q -pl proxy-service package -DskipTests)
# Arguments replace the default JMH options, e.g. ./run.sh -f 1 -wi 1 -i 2 DetectorBenchmark
# (default: the whole-scanner and per-detector benchmarks, 3 warm-up and 5 measured iterations).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
mvn -B -o -q compile
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
jar() { ls "$repo/$1"/*/"$2"-*.jar | grep -v sources | sort -V | tail -1; }
cp="target/classes"
cp="$cp:$repo/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar"
cp="$cp:$(jar net/sf/jopt-simple/jopt-simple jopt-simple)"
cp="$cp:$(jar org/apache/commons/commons-math3 commons-math3)"
cp="$cp:$repo/com/google/re2j/re2j/1.8/re2j-1.8.jar"
cp="$cp:../../proxy-service/target/quarkus-app/app/proxy-service-0.1.0-SNAPSHOT.jar"
if [[ $# -eq 0 ]]; then
  set -- -f 1 -wi 3 -w 2s -i 5 -r 3s "io.infershield.bench.(Scanner|Detector)Benchmark"
fi
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
