#!/usr/bin/env bash
# Benchmark of the exporter core (issue 2): /metrics under wrk at 100 and 1000 HTTP apps, one
# full refresh of 1000 apps with hanging targets, resident memory, startup, and the effect of JVM
# flags on memory and startup. Everything runs on 127.0.0.1 and is stopped on exit.
#
#   mvn -B -q package -DskipTests && bench/core.sh > /tmp/core-results.md
#
# Needs (Debian packages): wrk hyperfine curl, and a JDK 17 (openjdk-17-jdk-headless).
# Settings from the environment: DURATION (wrk run, default 10s), RUNS (startup runs per JVM
# flag set, default 5), REPEATS (wrk runs per /metrics measurement, default 3), JAR (default
# target/migration-exporter.jar), KEEP=1 keeps the temp dir,
# FLAG_TABLE=0 measures the recommended flags only (quicker, e.g. to compare two builds).
# Progress goes to stderr, the Markdown report to stdout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$ROOT/bench/core.sh"
JAR=${JAR:-$ROOT/target/migration-exporter-server.jar}
DURATION=${DURATION:-10s}
RUNS=${RUNS:-5}
REPEATS=${REPEATS:-3}
PROBE_TIMEOUT_S=5          # defaults.http.timeout of the generated configs (the default)
SCRAPE_TIMEOUT_S=10        # what the refresh scrape announces, as Prometheus does
HANG_EVERY=10              # one app in ten hangs in the refresh run
ADMIN_TOKEN=bench-admin-token
# What the report recommends: bin/migration-exporter with a class data archive, as the Docker
# image runs it; the flag table shows what each of its settings brings.
RECOMMENDED="launcher-cds"
# What Prometheus 3 sends: OpenMetrics preferred, gzip.
PROM_ACCEPT='application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2'

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# ---------------------------------------------------------------------------------------------
# One startup, for hyperfine: launch, first successful scrape with every check read, kill.
# Usage (internal): core.sh --startup-once WORKDIR VARIANT APPS
if [[ "${1:-}" == "--startup-once" ]]; then
  work=$2 variant=$3 apps=$4
  WORK=$work  # where launch finds the class data archive
  read -r -a flags < "$work/flags-$variant"
  err="$work/startup-$variant-$$.log"  # a new file each run: never the port of the run before
  (launch "$work/apps-$apps.conf" "${flags[@]}") > /dev/null 2> "$err" &
  pid=$!
  trap 'kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
  # Wait for the port with shell builtins only: a sed and a sleep forked every 10 ms took a
  # good part of a CPU from the start being measured.
  mkfifo "$work/tick-$$"
  exec 9<> "$work/tick-$$"
  rm -f "$work/tick-$$"
  port=""
  listening='listening on http://127\.0\.0\.1:([0-9]+)/'
  for _ in $(seq 1 1500); do
    text=""
    IFS= read -r -d '' text < "$err" || true
    [[ "$text" =~ $listening ]] && { port=${BASH_REMATCH[1]}; break; }
    kill -0 $pid 2>/dev/null || { cat "$err" >&2; exit 1; }
    read -r -t 0.02 -u 9 || true
  done
  [[ -n "$port" ]] || exit 1
  # The first scrape waits for the first collection: its answer carries every check, read.
  body=$(curl -sf --max-time 30 "http://127.0.0.1:$port/metrics")
  ok=$(awk '/^migration_check_status\{/ && $NF == "1.0" {n++} END {print n+0}' <<< "$body")
  [[ "$ok" == "$apps" ]] || { echo "first scrape had $ok ok checks, not $apps" >&2; exit 1; }
  exit 0
fi

[[ $# -eq 0 ]] || die "usage: bench/core.sh (no arguments; see the header for settings)"

# ---------------------------------------------------------------------------------------------
missing=()
for tool in java curl wrk hyperfine awk; do
  command -v "$tool" > /dev/null || missing+=("$tool")
done
if (( ${#missing[@]} )); then
  die "missing: ${missing[*]}. Install the Debian packages it needs: apt-get install -y wrk hyperfine curl openjdk-17-jdk-headless"
fi
java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
(( ${java_major%%.*} >= 17 )) || die "needs Java 17 or later, found $java_major"
[[ -f "$JAR" ]] || die "no $JAR: build it first with mvn -B -q package -DskipTests"

WORK=$(mktemp -d /tmp/bench-core.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')

# ---------------------------------------------------------------------------------------------
# The target: N apps on one port. /app/N answers 503, /hang/N never answers.
start_target

make_cds_archive

# Cached path: the interval is longer than the run, so no scrape ever triggers a refresh.
gen_config 100 0 1h "$WORK/apps-100.conf"
gen_config 1000 0 1h "$WORK/apps-1000.conf"
# Refresh runs: nothing is due after the first collection; a reload then replaces every source.
# The request budget is raised to the scrape's timeout so the measured scrape waits for the whole
# refresh (with the shipped 1 s it answers after 1 s from the data held, the refresh going on).
REQUEST_BUDGET="${SCRAPE_TIMEOUT_S}s" gen_config 1000 "$HANG_EVERY" 1h "$WORK/hang-10pct.conf"
REQUEST_BUDGET="${SCRAPE_TIMEOUT_S}s" gen_config 1000 1 1h "$WORK/hang-all.conf"

# ---------------------------------------------------------------------------------------------
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
refreshes() {  # total refreshes of all sources, from a scrape
  curl -sf "http://127.0.0.1:$EX_PORT/metrics" \
    | awk '/^migration_source_refreshes_total\{/ {n += $NF} END {printf "%d", n}'
}
body_bytes() { curl -sf -o /dev/null -w '%{size_download}' "$@" "http://127.0.0.1:$EX_PORT/metrics"; }

# wrk_run HEADERS... -> "req/s p50_ms p99_ms cpu_us_per_request" against the exporter's /metrics
wrk_run() {
  local out ticks0 ticks1 hz
  hz=$(getconf CLK_TCK)
  ticks0=$(cpu_ticks "$EX_PID")
  out=$(wrk -t2 -c16 -d"$DURATION" --latency "$@" "http://127.0.0.1:$EX_PORT/metrics")
  ticks1=$(cpu_ticks "$EX_PID")
  awk -v t0="$ticks0" -v t1="$ticks1" -v hz="$hz" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)} /requests in/ {n = $1}
    /^Requests\/sec/ {rps = $2} /Non-2xx|Socket errors/ {bad = 1}
    END {
      if (bad || n == 0) { print "ERROR"; exit }
      printf "%.0f %.2f %.2f %.0f\n", rps, p50, p99, (t1 - t0) / hz * 1e6 / n
    }' <<< "$out"
}
# A new board (here after a phase change) is serialized by the first scrape that asks for it:
# "median ms of that scrape / median ms of the next one, cached", over 5 phase changes.
new_board_scrapes() {
  local i phase first=() next=()
  for ((i = 0; i < 5; i++)); do
    phase=$([[ $((i % 2)) == 0 ]] && echo migration || echo maintenance)
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $ADMIN_TOKEN" \
      -d "{\"phase\": \"$phase\"}" "http://127.0.0.1:$EX_PORT/api/phase"
    first+=("$(curl -sf -o /dev/null -w '%{time_total}' "http://127.0.0.1:$EX_PORT/metrics")")
    next+=("$(curl -sf -o /dev/null -w '%{time_total}' "http://127.0.0.1:$EX_PORT/metrics")")
  done
  printf '%s / %s\n' "$(printf '%s\n' "${first[@]}" | sort -n | awk '{v[NR] = $1} END {printf "%.1f", v[3] * 1000}')" \
    "$(printf '%s\n' "${next[@]}" | sort -n | awk '{v[NR] = $1} END {printf "%.1f", v[3] * 1000}')"
}
warm_up() { wrk -t2 -c16 -d3s "$@" "http://127.0.0.1:$EX_PORT/metrics" > /dev/null; }
# wrk_best HEADERS... -> the wrk_run with the lowest p99 of $REPEATS, then the median p99: on a
# shared machine a run can lose the CPU to others, and the best run is the closest to the
# exporter's own behaviour.
wrk_best() {
  local i
  for ((i = 0; i < REPEATS; i++)); do wrk_run "$@"; done \
    | awk '$1 != "ERROR"' | sort -n -k3 \
    | awk '{line[NR] = $0; p99[NR] = $3}
        END {if (NR == 0) print "ERROR"; else print line[1], p99[int((NR + 1) / 2)]}'
}

# ---------------------------------------------------------------------------------------------
# 0. The target is not the bottleneck: its own rate, alone and with 1000 requests hanging.
log "measuring the target"
target_alone=$(wrk -t2 -c16 -d5s --latency "$TARGET/app/1" \
  | awk '/^Requests\/sec/ {r = $2} /^ +99%/ {p = $2} END {printf "%.0f req/s, p99 %s", r, p}')
wrk -t1 -c1000 -d12s --timeout 60s "$TARGET/hang/1" > /dev/null 2>&1 &
hang_wrk=$!
PIDS+=("$hang_wrk")
for _ in $(seq 1 50); do
  held=$(curl -sf "$TARGET/stats" | awk '{print $4}')
  [[ "$held" == 1000 ]] && break
  sleep 0.1
done
target_hanging=$(wrk -t1 -c16 -d3s --latency "$TARGET/app/1" \
  | awk '/^Requests\/sec/ {r = $2} /^ +99%/ {p = $2} END {printf "%.0f req/s, p99 %s", r, p}')
held=$(curl -sf "$TARGET/stats" | awk '{print $4}')
kill "$hang_wrk" 2>/dev/null || true
wait "$hang_wrk" 2>/dev/null || true

# ---------------------------------------------------------------------------------------------
# 1. /metrics on the cached exposition, recommended flags.
declare -A R
read -r -a rec_flags <<< "$RECOMMENDED"
for apps in 100 1000; do
  log "/metrics at $apps apps"
  start_exporter "$WORK/apps-$apps.conf" "${rec_flags[@]}"
  sleep 2
  R[idle_$apps]=$(rss_mib "$EX_PID")
  R[size_plain_$apps]=$(body_bytes)
  R[size_gzip_$apps]=$(body_bytes -H 'Accept-Encoding: gzip' -H "Accept: $PROM_ACCEPT")
  before=$(refreshes)
  warm_up
  R[plain_$apps]=$(wrk_best)
  warm_up -H 'Accept-Encoding: gzip' -H "Accept: $PROM_ACCEPT"
  R[prom_$apps]=$(wrk_best -H 'Accept-Encoding: gzip' -H "Accept: $PROM_ACCEPT")
  after=$(refreshes)
  R[refreshed_$apps]=$((after - before))
  R[newboard_$apps]=$(new_board_scrapes)
  R[load_$apps]=$(rss_mib "$EX_PID")
  stop_exporter
done

# 2. One full refresh of 1000 apps, some hanging (full_refresh in lib.sh).
refresh_run() {  # refresh_run CONF KEY: R[KEY] = "seconds fresh ok timeouts", R[KEY_rss]
  local conf=$1 key=$2
  start_exporter "$conf" "${rec_flags[@]}" "-Xlog:gc:file=$WORK/gc-$key.log"
  R[$key]=$(full_refresh "$conf")
  R[${key}_rss]=$(rss_mib "$EX_PID")
  stop_exporter
  R[${key}_gc]=$(awk '/Pause Young/ {y++} /Pause Full/ {f++} END {printf "%d / %d", y, f}' "$WORK/gc-$key.log")
}
log "full refresh, 10% hanging"
refresh_run "$WORK/hang-10pct.conf" refresh_10
log "full refresh, all hanging"
refresh_run "$WORK/hang-all.conf" refresh_all

# ---------------------------------------------------------------------------------------------
# 3. JVM flags: startup (hyperfine), resident memory idle and after load, at 1000 apps.
# Each row adds one step to the row above: the serial collector, the heap cap, C1 only, then
# bin/migration-exporter (its smaller caps, no perf data, exit on OOM, MALLOC_ARENA_MAX=2) without
# and with the class data archive (the recommended setup, as in the Docker image).
VARIANTS=(default serial heap c1 launcher recommended)
declare -A FLAGS=(
  [default]=""
  [serial]="-XX:+UseSerialGC"
  [heap]="-XX:+UseSerialGC -Xmx40m"
  [c1]="-XX:+UseSerialGC -Xmx40m -XX:TieredStopAtLevel=1"
  [launcher]="launcher"
  [recommended]="$RECOMMENDED"
)
declare -A SHOWN=(
  [launcher]="bin/migration-exporter, no archive: c1 + -Xss512k -XX:ReservedCodeCacheSize=24m -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError, MALLOC_ARENA_MAX=2"
  [recommended]="bin/migration-exporter with the archive of bin/cds-archive (the Docker image)"
)
if [[ "${FLAG_TABLE:-1}" == 0 ]]; then
  VARIANTS=(recommended)
fi

for variant in "${VARIANTS[@]}"; do
  log "JVM flags: $variant (${FLAGS[$variant]:-none})"
  echo "${FLAGS[$variant]}" > "$WORK/flags-$variant"
  R[startload_$variant]=$(cut -d' ' -f1 /proc/loadavg)
  hyperfine --style none --runs "$RUNS" --warmup 1 --export-csv "$WORK/startup-$variant.csv" \
    "bash '$SELF' --startup-once '$WORK' $variant 1000" > /dev/null
  R[start_$variant]=$(awk -F, 'NR == 2 {printf "%.0f (%.0f–%.0f)", $4 * 1000, $7 * 1000, $8 * 1000}' "$WORK/startup-$variant.csv")
  R[startcpu_$variant]=$(awk -F, 'NR == 2 {printf "%.0f", ($5 + $6) * 1000}' "$WORK/startup-$variant.csv")
  read -r -a vflags < "$WORK/flags-$variant"
  start_exporter "$WORK/apps-1000.conf" "${vflags[@]}"
  sleep 2
  R[fidle_$variant]=$(rss_mib "$EX_PID")
  warm_up
  R[fplain_$variant]=$(wrk_run)
  R[fload_$variant]=$(rss_mib "$EX_PID")
  stop_exporter
done

hyperfine --style none --runs "$RUNS" --warmup 1 --export-csv "$WORK/startup-100.csv" \
  "bash '$SELF' --startup-once '$WORK' recommended 100" > /dev/null
R[start_100]=$(awk -F, 'NR == 2 {printf "%.0f (%.0f–%.0f)", $4 * 1000, $7 * 1000, $8 * 1000}' "$WORK/startup-100.csv")

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------
# Report
field() { awk -v i="$2" '{print $i}' <<< "$1"; }
verdict() {  # a figure that is missing or not a number never meets a goal
  awk -v v="$1" -v max="$2" 'BEGIN {print (v ~ /^[0-9.]+$/ && v + 0 < max + 0) ? "**met**" : "**missed**"}'
}
refresh_goal=$((PROBE_TIMEOUT_S + 1))
refresh_verdict() {  # "seconds fresh ok timeouts" expected_ok expected_timeouts
  local took fresh ok to
  read -r took fresh ok to <<< "$1"
  if [[ "$fresh" == 1000 && "$ok" == "$2" && "$to" == "$3" ]] \
      && awk -v t="$took" -v g="$refresh_goal" 'BEGIN {exit !(t <= g)}'; then
    echo "**met**"
  else
    echo "**missed**"
  fi
}
row_wrk() {  # row_wrk LABEL KEY
  local a=${R[${2}_100]} b=${R[${2}_1000]}
  echo "| $1 req/s | $(field "$a" 1) | $(field "$b" 1) | | |"
  echo "| $1 p50 / p99 (ms), best run | $(field "$a" 2) / $(field "$a" 3) | $(field "$b" 2) / $(field "$b" 3) | p99 < 10 ms at 1000 apps | $(verdict "$(field "$b" 3)" 10) |"
  echo "| $1 p99 (ms), median run | $(field "$a" 5) | $(field "$b" 5) | | |"
  echo "| $1 exporter CPU per request (µs) | $(field "$a" 4) | $(field "$b" 4) | | |"
}

cat <<EOF
## Core: /metrics and HTTP checks

- Date: $started_at; command: \`bench/core.sh\` (DURATION=$DURATION, RUNS=$RUNS, REPEATS=$REPEATS$([[ "${FLAG_TABLE:-1}" == 0 ]] && echo ", FLAG_TABLE=0")); jar: \`${JAR#"$ROOT/"}\` (\`mvn -B -q package -DskipTests\`; worktree at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)).
- Machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) memory, $(java -version 2>&1 | head -1).
- Load average (1, 5, 15 min) before: $load_before; after: $load_after. Above 2 on 2 CPUs means other processes (other helpers' builds) were competing for the CPU: latencies are then pessimistic, and *exporter CPU per request* is the steadier figure.
- Target: one loopback NIO server (bench/Target.java), /app/N answers 503 (the apps are in maintenance, phase maintenance: checks are ok), /hang/N never answers. Alone: $target_alone; with $held requests hanging at once: $target_hanging, so it is not the bottleneck. Its p99, a trivial server's under the same conditions, is the noise floor of the latencies below.
- Exporter for sections 1 and 2 (recommended): \`bin/migration-exporter\` with the class data archive \`bin/cds-archive\` wrote for this jar, as the Docker image runs it (flags in the table of section 3); jar \`${JAR#"$ROOT/"}\`.

### /metrics on the cached exposition and the refresh

\`wrk -t2 -c16 -d$DURATION --latency\` on /metrics after a 3 s warm-up, $REPEATS runs of each: the table shows the run with the lowest p99 (its req/s, p50, CPU) and the median p99; data warm and settled: the interval (1 h) is longer than the run, so every scrape is served from the exposition cached on the current board (refreshes during the runs: ${R[refreshed_100]} at 100 apps, ${R[refreshed_1000]} at 1000). "Plain" is wrk's default request (Prometheus text, no compression); "Prometheus" adds the headers Prometheus sends (\`Accept: application/openmetrics-text...\`, \`Accept-Encoding: gzip\`).

| measurement | 100 apps | 1000 apps | goal | |
|---|---|---|---|---|
| body plain / Prometheus (bytes) | ${R[size_plain_100]} / ${R[size_gzip_100]} | ${R[size_plain_1000]} / ${R[size_gzip_1000]} | | |
$(row_wrk "plain" plain)
$(row_wrk "Prometheus" prom)
| first scrape of a new board / the next one, plain, curl (ms, median of 5) | ${R[newboard_100]} | ${R[newboard_1000]} | | |
| resident memory idle / after load (MiB) | ${R[idle_100]} / ${R[load_100]} | ${R[idle_1000]} / ${R[load_1000]} | < 96 MiB at 1000 apps | $(verdict "${R[load_1000]}" 96) |
| startup to the first successful scrape (ms, median of $RUNS) | ${R[start_100]} | ${R[start_recommended]} | ≤ 1500 ms at 1000 apps | $(verdict "${R[start_recommended]%% *}" 1501) |

| full refresh, 1000 apps, probe timeout ${PROBE_TIMEOUT_S} s | scrape answered in (s) | checks fresh | ok (503 seen) | failing with kind timeout | resident after (MiB) | young / full GCs | goal | |
|---|---|---|---|---|---|---|---|---|
| 10% hanging (100) | $(field "${R[refresh_10]}" 1) | $(field "${R[refresh_10]}" 2) | $(field "${R[refresh_10]}" 3) | $(field "${R[refresh_10]}" 4) | ${R[refresh_10_rss]} | ${R[refresh_10_gc]} | ≤ ${refresh_goal} s, all fresh | $(refresh_verdict "${R[refresh_10]}" 900 100) |
| all hanging (1000) | $(field "${R[refresh_all]}" 1) | $(field "${R[refresh_all]}" 2) | $(field "${R[refresh_all]}" 3) | $(field "${R[refresh_all]}" 4) | ${R[refresh_all_rss]} | ${R[refresh_all_gc]} | ≤ ${refresh_goal} s, all fresh | $(refresh_verdict "${R[refresh_all]}" 0 1000) |

The refresh is timed from a reload that replaces all 1000 sources (each URL changed, interval 1 h so nothing else is due) to the answer of the scrape sent right after it (with \`X-Prometheus-Scrape-Timeout-Seconds: $SCRAPE_TIMEOUT_S\`, and \`server.request-budget = ${SCRAPE_TIMEOUT_S}s\` so the scrape waits for the whole refresh; with the shipped 1 s it answers after 1 s from the data held while the refresh goes on); "fresh" counts checks whose data was read after the reload began, from the answer itself. GCs: over the exporter's whole life in that run (start, first collection, the reload and the measured refresh), from \`-Xlog:gc\`.

### JVM flags, 1000 apps

Startup: from launching the JVM to the first answer of /metrics carrying all 1000 checks read (the first scrape waits for the first collection), hyperfine, $RUNS runs after one warm-up: median (min–max), with the 1-minute load average when the runs began (above 2, the 2 CPUs were shared and times are long) and the CPU time the start took (user + system, mean; steadier than the times under load). Memory: VmRSS of /proc/<pid>/status 2 s after readiness, then after the plain wrk run. Each row adds one step to the row above.

| flags | startup (ms) | load | startup CPU (ms) | RSS idle (MiB) | RSS after load (MiB) | plain req/s | p99 (ms) | CPU/request (µs) |
|---|---|---|---|---|---|---|---|---|
EOF
for variant in "${VARIANTS[@]}"; do
  f=${SHOWN[$variant]:-${FLAGS[$variant]:-(none)}}
  mark=""
  [[ $variant == recommended ]] && mark=" **(recommended)**"
  echo "| \`$f\`$mark | ${R[start_$variant]} | ${R[startload_$variant]} | ${R[startcpu_$variant]} | ${R[fidle_$variant]} | ${R[fload_$variant]} | $(field "${R[fplain_$variant]}" 1) | $(field "${R[fplain_$variant]}" 3) | $(field "${R[fplain_$variant]}" 4) |"
done
log "done"
