#!/usr/bin/env bash
# Body bytes of /metrics at 100 and 1000 HTTP apps (bench/lib.sh's gen_config, phase
# maintenance, every app answering 503), plain and as Prometheus asks (OpenMetrics, gzip), with
# the series per check. Bytes, not latencies: meaningful on a busy machine too.
# Usage: bench/body-size.sh [JAR] (default target/migration-exporter.jar)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${1:-$ROOT/target/migration-exporter.jar}
PROBE_TIMEOUT_S=5
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
[[ -f "$JAR" ]] || die "no $JAR: build it first with mvn -B -q package -DskipTests"

start_target
echo "| apps | plain (bytes) | OpenMetrics + gzip (bytes) | series | series per check |"
echo "|---|---|---|---|---|"
for apps in 100 1000; do
  gen_config "$apps" 0 1h "$WORK/apps-$apps.conf"
  start_exporter "$WORK/apps-$apps.conf" -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
  url="http://127.0.0.1:$EX_PORT/metrics"
  curl -sf -o "$WORK/plain" "$url"
  curl -sf -o "$WORK/prometheus" -H 'Accept-Encoding: gzip' \
    -H 'Accept: application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4' "$url"
  series=$(grep -vc '^#' "$WORK/plain")
  per_check=$(grep -v '^#' "$WORK/plain" | grep -c 'app-1[",}]' || true)
  echo "| $apps | $(wc -c < "$WORK/plain") | $(wc -c < "$WORK/prometheus") | $series | $per_check |"
  stop_exporter
done
