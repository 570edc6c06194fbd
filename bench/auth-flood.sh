#!/usr/bin/env bash
# Benchmark of issue 16 finding 1: authenticated /metrics latency while 200 connections send wrong
# basic-auth passwords as fast as they can. Goal: authenticated /metrics p99 under 1 s.
#
#   mvn -B -q package -DskipTests && bench/auth-flood.sh > /tmp/auth-flood.md
#
# Three wrk runs of DURATION each, everything on 127.0.0.1: authenticated scrapes alone (the
# baseline), then the same scrapes while a second wrk floods /metrics with a wrong password from
# 200 connections. The exporter runs as the Docker image runs it (bin/migration-exporter), with
# basic auth at bcrypt cost 10 in its web configuration file.
# Needs (Debian packages): wrk curl, and a JDK 17. Settings from the environment: DURATION
# (default 30s), FLOOD_CONNECTIONS (default 200), SCRAPERS (authenticated connections, default 4),
# JAR (default target/migration-exporter-server.jar), KEEP=1 keeps the temp dir.
# Progress goes to stderr, the Markdown report to stdout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${JAR:-$ROOT/target/migration-exporter-server.jar}
DURATION=${DURATION:-30s}
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-200}
SCRAPERS=${SCRAPERS:-4}
PROBE_TIMEOUT_S=5
USER_NAME=prometheus
PASSWORD=bench-scrape-password
# bcrypt (cost 10) of $PASSWORD, as htpasswd -nbB -C 10 writes it
HASH='$2a$10$BzBNz.YA2TK0YsF0CAd26Ohg6tcyDUDwpgp6Vf1HxnedWXhjZOwK2'

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

missing=()
for tool in java curl wrk awk; do command -v "$tool" > /dev/null || missing+=("$tool"); done
if (( ${#missing[@]} )); then
  die "missing: ${missing[*]}. Install the Debian packages it needs: apt-get install -y wrk curl openjdk-17-jdk-headless"
fi
[[ -f "$JAR" ]] || die "no $JAR: build it first (mvn -B -q package -DskipTests)"

WORK=$(mktemp -d /tmp/auth-flood-XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ "${KEEP:-0}" == 1 ]] && log "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

start_target
cat > "$WORK/web.yml" <<EOF
basic_auth_users:
  $USER_NAME: '$HASH'
EOF
gen_config 10 0 5s "$WORK/flood.conf"
echo 'server.web-config-file = web.yml' >> "$WORK/flood.conf"

log "starting the exporter"
EX_AUTH="$USER_NAME:$PASSWORD" start_exporter "$WORK/flood.conf" launcher
URL="http://127.0.0.1:$EX_PORT/metrics"
curl -sf -o /dev/null -u "$USER_NAME:$PASSWORD" "$URL" || die "an authenticated scrape failed"

GOOD="Authorization: Basic $(printf '%s:%s' "$USER_NAME" "$PASSWORD" | base64)"
BAD="Authorization: Basic $(printf '%s:%s' "$USER_NAME" "wrong-password" | base64)"

# wrk_statuses WRK_OUTPUT -> "requests non_2xx socket_errors"
wrk_statuses() {
  awk '/requests in/ {n = $1} /Non-2xx/ {bad = $NF}
    /Socket errors/ {gsub(/,/, ""); errors = $4 + $6 + $8 + $10}
    END { printf "%d %d %d\n", n, bad, errors }' <<< "$1"
}

scrape() {
  wrk -t1 -c"$SCRAPERS" -d"$DURATION" --timeout 10s --latency -H "$GOOD" "$URL"
}

log "authenticated scrapes alone, $DURATION"
alone=$(scrape)
read -r alone_rps alone_p50 alone_p99 <<< "$(wrk_latency "$alone")"

log "the same under a $FLOOD_CONNECTIONS-connection wrong-password flood, $DURATION"
wrk -t1 -c"$FLOOD_CONNECTIONS" -d"$DURATION" --timeout 10s -H "$BAD" "$URL" > "$WORK/flood.out" &
flood_pid=$!
PIDS+=("$flood_pid")
sleep 1  # the flood's connections are open and sending
flooded=$(scrape)
wait "$flood_pid" || true
flood=$(cat "$WORK/flood.out")
read -r flooded_rps flooded_p50 flooded_p99 <<< "$(wrk_latency "$flooded")"
read -r flood_requests flood_refused flood_errors <<< "$(wrk_statuses "$flood")"
ratelimited=$(curl -s -o /dev/null -w '%{http_code}' -H "$BAD" "$URL")
goal="met"
if [[ "$flooded_p99" == "" ]] || awk -v p="$flooded_p99" 'BEGIN {exit !(p >= 1000)}'; then
  goal="**missed**"
fi

cat <<EOF
## Basic auth under a wrong-password flood (issue 16 finding 1)

\`bench/auth-flood.sh\` ($(date -u +'%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average
$(cut -d' ' -f1-3 /proc/loadavg) at the end, $(java -version 2>&1 | head -1)). Basic auth at
bcrypt cost 10; authenticated scrapes: wrk, $SCRAPERS connections, $DURATION; flood: wrk,
$FLOOD_CONNECTIONS connections sending a wrong password to /metrics for the same $DURATION.

| authenticated /metrics | req/s | p50 | p99 |
|---|---|---|---|
| alone | $alone_rps | $alone_p50 ms | $alone_p99 ms |
| under the flood | $flooded_rps | $flooded_p50 ms | $flooded_p99 ms |

Flood: $flood_requests requests, $flood_refused answered 401 or 429 (all of them should be), $flood_errors
socket errors or timeouts; a wrong password right after the flood: HTTP $ratelimited.
Goal, authenticated p99 under 1 s during the flood: $goal.
EOF
