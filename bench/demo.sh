#!/usr/bin/env bash
# The demo as a newcomer runs it: `java -jar target/migration-exporter.jar demo`.
#
# Measures the time from the command to the URLs printed and to the first full board (every check
# of /api/status with a known state, ok or failing), how long each phase lasts, the demo's memory
# (the JVM's resident set plus the proportional set size of every process of both PostgreSQL
# servers; their plain resident sets count the shared buffers once per process) and the disk its
# temporary directory takes at most. Runs the whole story (--exit-when-done), then prints a table
# and appends it, with the command, machine and date, to bench/RESULTS.md under "## Demo".
#
# Needs: java, curl, jq; the jar (built here when missing).
# Usage: bench/demo.sh [speed, default 1] [extra demo options...]
set -euo pipefail

SPEED="${1:-1}"
shift || true
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/target/migration-exporter.jar"
WORK="$(mktemp -d /tmp/demo-bench.XXXXXX)"
DEMO=""
cleanup() {
  if [[ -n "$DEMO" ]] && kill -0 "$DEMO" 2>/dev/null; then
    kill -INT "$DEMO" 2>/dev/null || true
    wait "$DEMO" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in java curl jq; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[[ -f "$JAR" ]] || (cd "$ROOT" && mvn -q -B -ntp package -DskipTests)

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
kib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
COMMAND="java -jar target/migration-exporter.jar demo --port 0 --speed $SPEED --exit-when-done $*"
started="$(now)"
(cd "$ROOT" && exec java -jar "$JAR" demo --port 0 --speed "$SPEED" --exit-when-done "$@") \
  > "$WORK/out" 2> "$WORK/err" &
DEMO=$!

until grep -q '^  board ' "$WORK/out"; do
  kill -0 "$DEMO" 2>/dev/null || { cat "$WORK/out" "$WORK/err" >&2; exit 1; }
  sleep 0.05
done
banner="$(since "$started")"
URL="$(sed -n 's/^  board *\(http[^ ]*\)\/$/\1/p' "$WORK/out")"
WS="$(dirname "$(sed -n 's/^  config *\([^ ]*\) .*/\1/p' "$WORK/out")")"

until curl -sf "$URL/api/status" | jq -e '(.checks | length) > 0
    and all(.checks[]; .state != "unknown")' >/dev/null; do
  kill -0 "$DEMO" 2>/dev/null || { cat "$WORK/out" "$WORK/err" >&2; exit 1; }
  sleep 0.1
done
full_board="$(since "$started")"

# Memory and disk, once a second until the demo stops by itself.
declare -A peak_total peak_jvm peak_pg_pss
max_pg_rss=0; max_disk=0; phase=preparation
while kill -0 "$DEMO" 2>/dev/null; do
  phase="$(curl -sf "$URL/api/phase" | jq -r .current 2>/dev/null || echo "$phase")"
  jvm="$(awk '/^VmRSS/ { print $2 }' "/proc/$DEMO/status" 2>/dev/null || echo 0)"
  pss=0; rss=0
  for pidfile in "$WS"/postgres-*/postmaster.pid; do
    [[ -f "$pidfile" ]] || continue
    postmaster="$(head -1 "$pidfile" 2>/dev/null || true)"
    [[ -n "$postmaster" ]] || continue
    for pid in "$postmaster" $(pgrep -P "$postmaster" || true); do
      read -r p r < <(awk '/^Pss:/ { p = $2 } /^Rss:/ { r = $2 } END { print p + 0, r + 0 }' \
        "/proc/$pid/smaps_rollup" 2>/dev/null || echo "0 0")
      pss=$((pss + p)); rss=$((rss + r))
    done
  done
  disk="$({ du -sk "$WS" 2>/dev/null || true; } | awk 'NR == 1 { print $1 }')"
  total=$((jvm + pss))
  (( total > ${peak_total[$phase]:-0} )) && { peak_total[$phase]=$total; peak_jvm[$phase]=$jvm; peak_pg_pss[$phase]=$pss; }
  (( rss > max_pg_rss )) && max_pg_rss=$rss
  (( ${disk:-0} > max_disk )) && max_disk=${disk:-0}
  sleep 1
done
wait "$DEMO" && status=0 || status=$?
total_time="$(since "$started")"

# Phase lengths from the demo's own timeline lines ("[mm:ss] timeline   phase X: ...").
phase_times="$(awk '/ timeline +phase [a-z]+:/ {
    split(substr($1, 2, 5), t, ":"); s = t[1] * 60 + t[2]; p = $4; sub(":", "", p)
    if (prev != "") printf "%s %d s, ", prev, s - at; prev = p; at = s }
  / timeline +preparation:/ { split(substr($1, 2, 5), t, ":"); at = t[1] * 60 + t[2]; prev = "preparation" }
  END { }' "$WORK/out" | sed 's/, $//')"
rows="$(sed -n 's/.*pix  *\([0-9,]*\) answers and.*/\1/p' "$WORK/out" | head -1)"

table="$(cat <<TABLE
| measure | value |
|---|---|
| exit status | $status |
| command to URLs printed | $banner s |
| command to first full board (every check ok or failing, none unknown) | $full_board s |
| command to done and stopped | $total_time s |
| phases | $phase_times |
| pix rows per table | ${rows:-?} |
| peak memory, preparation: JVM RSS + PostgreSQL PSS | $(kib "${peak_total[preparation]:-0}") MiB ($(kib "${peak_jvm[preparation]:-0}") + $(kib "${peak_pg_pss[preparation]:-0}")) |
| peak memory, maintenance | $(kib "${peak_total[maintenance]:-0}") MiB ($(kib "${peak_jvm[maintenance]:-0}") + $(kib "${peak_pg_pss[maintenance]:-0}")) |
| peak memory, migration | $(kib "${peak_total[migration]:-0}") MiB ($(kib "${peak_jvm[migration]:-0}") + $(kib "${peak_pg_pss[migration]:-0}")) |
| peak memory, reopening and done | $(kib "${peak_total[reopening]:-0}") MiB ($(kib "${peak_jvm[reopening]:-0}") + $(kib "${peak_pg_pss[reopening]:-0}")) |
| PostgreSQL processes' plain RSS summed (shared buffers counted per process) | $(kib "$max_pg_rss") MiB |
| peak disk of the temporary directory | $(kib "$max_disk") MiB |
TABLE
)"
echo "$table"

machine="$(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem:/ { print $2 }') GiB; $(java -version 2>&1 | head -1)"
{
  grep -q '^## Demo' "$ROOT/bench/RESULTS.md" 2>/dev/null || printf '\n## Demo\n\nProduced by `bench/demo.sh`; newest last.\n'
  printf '\n### %s — `%s`\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$COMMAND"
  printf 'Machine: %s; load average before the run %s (other work on the machine makes figures noisy).\n\n' "$machine" "$load_before"
  echo "$table"
} >> "$ROOT/bench/RESULTS.md"
