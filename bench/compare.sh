#!/usr/bin/env bash
# The exporter side by side with Debian's prometheus-blackbox-exporter in the same run (issue 7):
# /metrics under wrk at 10, 100 and 1000 apps against blackbox's /metrics and /probe, a full
# refresh of 1000 HTTP targets with 10% hanging against the same 1000 probes sent to blackbox at
# once, resident memory idle and after load, and startup to the first successful scrape with
# default JVM flags, and bin/migration-exporter (the recommended flags) without and with its class data archive.
# The postgres_exporter comparison comes from bench/postgres.sh (run here with PG=1, otherwise
# its latest figures in bench/RESULTS.md are summarised, labelled as such).
# Everything runs on 127.0.0.1 and is stopped on exit. The Markdown report goes to stdout.
#
#   mvn -B -q -o package -DskipTests && bench/compare.sh > /tmp/compare.md
#
# Needs (Debian packages): prometheus-blackbox-exporter wrk hyperfine curl python3, a JDK 17;
# PG=1 also needs what bench/postgres.sh needs.
# Settings: DURATION (each wrk run, default 10s), RUNS (startups per flag set, default 5),
# JAR, KEEP=1 keeps the temporary directory, PG=1 runs bench/postgres.sh (it appends to RESULTS.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${JAR:-$ROOT/target/migration-exporter-server.jar}
DURATION=${DURATION:-10s}
RUNS=${RUNS:-5}
PROBE_TIMEOUT_S=5          # the HTTP check's timeout, and the blackbox module's
SCRAPE_TIMEOUT_S=10        # what the refresh scrape announces, as Prometheus does
HANG_EVERY=10              # one target in ten hangs in the refresh run
ADMIN_TOKEN=bench-admin-token  # full_refresh reloads with it
# How the Docker image runs the exporter: bin/migration-exporter with the archive of bin/cds-archive
# (see bench/lib.sh, launch).
DOCKERFILE_FLAGS="launcher-cds"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

[[ $# -eq 0 ]] || die "usage: bench/compare.sh (no arguments; see the header for settings)"
missing=()
for tool in java curl wrk hyperfine python3 prometheus-blackbox-exporter; do
  command -v "$tool" > /dev/null || missing+=("$tool")
done
(( ${#missing[@]} == 0 )) || die "missing: ${missing[*]}. apt-get install -y prometheus-blackbox-exporter wrk hyperfine curl python3 openjdk-17-jdk-headless"
[[ -f "$JAR" ]] || die "no $JAR: build it first with mvn -B -q -o package -DskipTests"

WORK=$(mktemp -d /tmp/bench-compare.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "${KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
declare -A R

start_target
make_cds_archive
for apps in 10 100 1000; do gen_config "$apps" 0 1h "$WORK/apps-$apps.conf"; done
# Refresh run: nothing due after the first collection; full_refresh then replaces every source,
# with the request budget raised so the scrape waits for the whole refresh.
REQUEST_BUDGET="${SCRAPE_TIMEOUT_S}s" gen_config 1000 "$HANG_EVERY" 1h "$WORK/hang-10pct.conf"

# blackbox_exporter: a module that expects 503 like our HTTP check in phase maintenance.
cat > "$WORK/blackbox.yml" <<EOF
modules:
  http_503:
    prober: http
    timeout: ${PROBE_TIMEOUT_S}s
    http:
      valid_status_codes: [503]
      preferred_ip_protocol: ip4
EOF
BB_PORT=$(free_port)
log "starting blackbox_exporter on $BB_PORT"
prometheus-blackbox-exporter --config.file="$WORK/blackbox.yml" \
  --web.listen-address="127.0.0.1:$BB_PORT" > "$WORK/blackbox.log" 2>&1 &
BB_PID=$!
PIDS+=("$BB_PID")
BB="http://127.0.0.1:$BB_PORT"
for _ in $(seq 1 100); do curl -sf -o /dev/null "$BB/metrics" && break; sleep 0.1; done
curl -sf -o /dev/null "$BB/metrics" || { cat "$WORK/blackbox.log" >&2; die "blackbox_exporter did not start"; }
blackbox_version=$(prometheus-blackbox-exporter --version 2>&1 | awk 'NR == 1 {print $3}')
BB_PROBE="$BB/probe?module=http_503&target=$TARGET/app/1"
curl -sf "$BB_PROBE" | grep -q '^probe_success 1' || die "blackbox's probe of the target does not succeed"
sleep 1
R[bb_idle]=$(rss_mib "$BB_PID")

bench_wrk() {  # bench_wrk URL -> "req/s p50 p99" after a 3 s warm-up
  wrk -t2 -c16 -d3s "$1" > /dev/null
  wrk_latency "$(wrk -t2 -c16 -d"$DURATION" --latency "$1")"
}

# ---------------------------------------------------------------------------------------------
# 1. /metrics: the exporter at 10, 100, 1000 apps (as the Docker image runs it), blackbox /metrics and /probe.
read -r -a docker_flags <<< "$DOCKERFILE_FLAGS"
for apps in 10 100 1000; do
  log "exporter /metrics at $apps apps"
  start_exporter "$WORK/apps-$apps.conf" "${docker_flags[@]}"
  sleep 2
  R[ex_idle_$apps]=$(rss_mib "$EX_PID")
  R[ex_size_$apps]=$(curl -sf -o /dev/null -w '%{size_download}' "http://127.0.0.1:$EX_PORT/metrics")
  R[ex_wrk_$apps]=$(bench_wrk "http://127.0.0.1:$EX_PORT/metrics")
  R[ex_load_$apps]=$(rss_mib "$EX_PID")
  stop_exporter
done
log "blackbox /metrics"
R[bb_size_metrics]=$(curl -sf -o /dev/null -w '%{size_download}' "$BB/metrics")
R[bb_wrk_metrics]=$(bench_wrk "$BB/metrics")
log "blackbox /probe"
R[bb_size_probe]=$(curl -sf -o /dev/null -w '%{size_download}' "$BB_PROBE")
R[bb_wrk_probe]=$(bench_wrk "$BB_PROBE")
R[bb_load]=$(rss_mib "$BB_PID")

# ---------------------------------------------------------------------------------------------
# 2. Full refresh of 1000 targets, 10% hanging.
log "exporter: full refresh of 1000 apps, 10% hanging"
start_exporter "$WORK/hang-10pct.conf" "${docker_flags[@]}"
R[ex_refresh]=$(full_refresh "$WORK/hang-10pct.conf")
R[ex_refresh_rss]=$(rss_mib "$EX_PID")
stop_exporter

log "blackbox: the same 1000 probes at once"
for ((i = 1; i <= 1000; i++)); do
  path=app
  (( i % HANG_EVERY == 0 )) && path=hang
  echo "$BB/probe?module=http_503&target=$TARGET/$path/$i"
done > "$WORK/probes.txt"
# All at once from one JVM (bench/Probes.java), timed from the first request to the last answer:
# "seconds answers successes failures".
R[bb_refresh]=$(java -XX:+UseSerialGC "$ROOT/bench/Probes.java" "$SCRAPE_TIMEOUT_S" < "$WORK/probes.txt")
R[bb_refresh_rss]=$(rss_mib "$BB_PID")

# ---------------------------------------------------------------------------------------------
# 3. Startup to the first successful scrape at 1000 apps: hyperfine over core.sh --startup-once
# (launch, first /metrics answer carrying every check read, kill), per flag set.
VARIANTS=(default launcher dockerfile)
declare -A FLAGS=(
  [default]=""
  [launcher]="launcher"
  [dockerfile]="$DOCKERFILE_FLAGS"
)
declare -A SHOWN=(
  [default]="java -jar (JVM defaults)"
  [launcher]="bin/migration-exporter without an archive"
  [dockerfile]="bin/migration-exporter with the archive (the Docker image)"
)
for variant in "${VARIANTS[@]}"; do
  log "startup: $variant"
  echo "${FLAGS[$variant]}" > "$WORK/flags-$variant"
  for apps in 10 1000; do
    # A failed start is reported in the table (its log kept with KEEP=1), not hidden by a retry.
    if hyperfine --style none --runs "$RUNS" --warmup 1 --export-csv "$WORK/startup-$variant-$apps.csv" \
        "JAR='$JAR' bash '$ROOT/bench/core.sh' --startup-once '$WORK' $variant $apps" > /dev/null \
        2> "$WORK/hyperfine-$variant-$apps.err"; then
      R[start_${variant}_$apps]=$(awk -F, 'NR == 2 {printf "%.0f %.0f %.0f", $4 * 1000, $7 * 1000, $8 * 1000}' "$WORK/startup-$variant-$apps.csv")
    else
      log "startup $variant $apps apps failed: $(tail -1 "$WORK/hyperfine-$variant-$apps.err")"
      R[start_${variant}_$apps]="FAILED - -"
    fi
  done
  read -r -a vflags < "$WORK/flags-$variant"
  start_exporter "$WORK/apps-1000.conf" "${vflags[@]}"
  sleep 2
  R[fidle_$variant]=$(rss_mib "$EX_PID")
  R[fwrk_$variant]=$(bench_wrk "http://127.0.0.1:$EX_PORT/metrics")
  R[fload_$variant]=$(rss_mib "$EX_PID")
  stop_exporter
done
for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done

# ---------------------------------------------------------------------------------------------
# 4. postgres_exporter: bench/postgres.sh, run now (PG=1) or its latest entry in RESULTS.md.
if [[ "${PG:-0}" == 1 ]]; then
  log "running bench/postgres.sh"
  "$ROOT/bench/postgres.sh" "${DURATION%s}" > "$WORK/postgres.md"
  pg_origin="run now by this script (\`bench/postgres.sh ${DURATION%s}\`)"
else
  pg_origin="NOT run now: the latest entry of bench/postgres.sh in bench/RESULTS.md"
fi
# The last entry postgres.sh appended (it appends at the end of the file, whatever section is last).
pg_latest=$(awk '/^##/ {take = 0} /^### .*bench\/postgres\.sh/ {h = $0; rows = ""; take = 1}
  take && /^\| (migration-exporter|prometheus-postgres-exporter)/ {rows = rows $0 "\n"}
  END {printf "%s\n%s", h, rows}' "$ROOT/bench/RESULTS.md")
pg_heading=$(head -1 <<< "$pg_latest" | sed 's/^### //')
pg_rows=$(tail -n +2 <<< "$pg_latest" | sed '/^$/d' \
  | awk -F'|' '{for (i = 2; i <= 7; i++) gsub(/^ +| +$/, "", $i); printf "| postgres: %s | %s | | %s | | sessions held %s, database time per refresh %s | |\n", $2, $3, $4, $6, $7}')
pg_rss=$(grep -h '^Resident memory after the runs' "$ROOT/bench/RESULTS.md" | tail -1)

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------
# Report
field() { awk -v i="$2" '{print $i}' <<< "$1"; }
ge() {  # ge A B: both numbers and A >= B (a FAILED figure meets no goal)
  awk -v a="$1" -v b="$2" 'BEGIN {n = "^[0-9.]+$"; exit !(a ~ n && b ~ n && a + 0 >= b + 0)}'
}
mark() { if "$@"; then echo "**met**"; else echo "**missed**"; fi; }
ratio=$(awk -v a="$(field "${R[ex_wrk_100]}" 1)" -v b="$(field "${R[bb_wrk_metrics]}" 1)" 'BEGIN {printf "%.1f", (b > 0) ? a / b : 0}')
goal_rps=$(mark ge "$ratio" 2)
read -r ex_took ex_fresh ex_ok ex_to <<< "${R[ex_refresh]}"
read -r bb_took bb_n bb_ok bb_failed <<< "${R[bb_refresh]}"
refresh_goal=$((PROBE_TIMEOUT_S + 1))
refresh_ok() {  # refresh_ok SECONDS ANSWERS OK: within the goal, every answer in, 900 ok
  ge "$refresh_goal" "$1" && [[ $2 == 1000 && $3 == 900 ]]
}
goal_refresh=$(mark refresh_ok "$ex_took" "$ex_fresh" "$ex_ok")
goal_bb_refresh=$(mark refresh_ok "$bb_took" "$bb_n" "$bb_ok")
rss_max=${R[ex_load_1000]}
(( R[ex_refresh_rss] > rss_max )) && rss_max=${R[ex_refresh_rss]}
goal_rss=$(mark ge 95.999 "$rss_max")
noisy=""
if awk -v l="${load_before%% *}" -v m="${load_after%% *}" 'BEGIN {exit !(l > 1 || m > 1)}'; then
  noisy=" **Load above 1: other work shared the 2 CPUs, the figures are noisy (latencies pessimistic, req/s low).**"
fi
wrk_row() {  # wrk_row LABEL SIZE "rps p50 p99" RSS_IDLE RSS_LOAD GOAL VERDICT
  echo "| $1 | $2 | $(field "$3" 1) | $(field "$3" 2) / $(field "$3" 3) | $4 / $5 | $6 | $7 |"
}

cat <<EOF
## Side by side with blackbox_exporter and postgres_exporter

- Date: $started_at; command: \`mvn -B -q -o package -DskipTests && bench/compare.sh\` (DURATION=$DURATION, RUNS=$RUNS, PG=${PG:-0}); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown).
- Machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) memory, $(java -version 2>&1 | head -1); blackbox_exporter $blackbox_version.
- Load average (1, 5, 15 min) before: $load_before; after: $load_after.$noisy
- The exporter runs as the Docker image runs it unless a row says otherwise: \`bin/migration-exporter\` (the recommended JVM flags) with the class data archive \`bin/cds-archive\` wrote for this jar (\`${JAR#"$ROOT/"}\`). Both exporters probe bench/Target.java on 127.0.0.1 (503 = maintenance page; /hang/N never answers); blackbox module \`http_503\`: http prober, \`valid_status_codes: [503]\`, timeout ${PROBE_TIMEOUT_S} s.

### Throughput and memory: \`wrk -t2 -c16 -d$DURATION --latency\` after a 3 s warm-up

| what | body (bytes) | req/s | p50 / p99 (ms) | RSS idle / after load (MiB) | goal | |
|---|---|---|---|---|---|---|
$(wrk_row "migration-exporter /metrics, 10 apps" "${R[ex_size_10]}" "${R[ex_wrk_10]}" "${R[ex_idle_10]}" "${R[ex_load_10]}" "" "")
$(wrk_row "migration-exporter /metrics, 100 apps" "${R[ex_size_100]}" "${R[ex_wrk_100]}" "${R[ex_idle_100]}" "${R[ex_load_100]}" "≥ 2 × blackbox /metrics req/s (here ${ratio} ×)" "$goal_rps")
$(wrk_row "migration-exporter /metrics, 1000 apps" "${R[ex_size_1000]}" "${R[ex_wrk_1000]}" "${R[ex_idle_1000]}" "${R[ex_load_1000]}" "RSS < 96 MiB at 1000 apps (highest seen: $rss_max, incl. after the refresh run)" "$goal_rss")
$(wrk_row "blackbox_exporter /metrics" "${R[bb_size_metrics]}" "${R[bb_wrk_metrics]}" "${R[bb_idle]}" "—" "" "")
$(wrk_row "blackbox_exporter /probe (one local 503 target)" "${R[bb_size_probe]}" "${R[bb_wrk_probe]}" "—" "${R[bb_load]}" "" "")

### Full refresh: 1000 HTTP targets, 100 hanging, timeout ${PROBE_TIMEOUT_S} s

| what | wall time (s) | answers | ok (503 seen) | failed / timed out | RSS after (MiB) | goal ≤ ${refresh_goal} s | |
|---|---|---|---|---|---|---|---|
| migration-exporter: a reload that replaces all 1000 checks' sources, to the answer of the scrape sent after it (request budget raised to the scrape's timeout) | $ex_took | $ex_fresh fresh checks | $ex_ok | $ex_to timeouts | ${R[ex_refresh_rss]} | all fresh, 900 ok, 100 timeouts | $goal_refresh |
| blackbox_exporter: 1000 /probe requests at once (bench/Probes.java, Java HttpClient), first sent to last answered | $bb_took | $bb_n probe results | $bb_ok | $bb_failed | ${R[bb_refresh_rss]} | (same bound, for reference) | $goal_bb_refresh |

### Startup to the first successful scrape; memory and /metrics at 1000 apps per flag set

Startup: launch to the first /metrics answer carrying every check read (10 or 1000) (\`bench/core.sh --startup-once\`), hyperfine, $RUNS runs after one warm-up, median (min–max). The archive: \`bin/cds-archive\`, a training run on loopback, as in the image build.

| how | startup 10 apps, median (min–max) ms | startup 1000 apps, median (min–max) ms | goal ≤ 1500 ms (10 / 1000 apps) | RSS idle / after load, 1000 apps (MiB) | /metrics req/s, 1000 apps | p99 (ms) |
|---|---|---|---|---|---|---|
EOF
for variant in "${VARIANTS[@]}"; do
  f=${SHOWN[$variant]}
  s10=${R[start_${variant}_10]} s1000=${R[start_${variant}_1000]}
  echo "| $f | $(field "$s10" 1) ($(field "$s10" 2)–$(field "$s10" 3)) | $(field "$s1000" 1) ($(field "$s1000" 2)–$(field "$s1000" 3)) | $(mark ge 1500 "$(field "$s10" 1)") / $(mark ge 1500 "$(field "$s1000" 1)") | ${R[fidle_$variant]} / ${R[fload_$variant]} | $(field "${R[fwrk_$variant]}" 1) | $(field "${R[fwrk_$variant]}" 3) |"
done
start_goal=$(mark ge 1500 "$(field "${R[start_dockerfile_1000]}" 1)")
cat <<EOF

Goals of issue 7 (2 cores):

- /metrics at least 2 × blackbox_exporter's /metrics req/s at 100 apps: $goal_rps ($(field "${R[ex_wrk_100]}" 1) against $(field "${R[bb_wrk_metrics]}" 1) req/s, ${ratio} ×).
- Full refresh of 1000 targets within timeout + 1 s (${refresh_goal} s): $goal_refresh ($ex_took s, $ex_fresh of 1000 checks fresh).
- Resident memory under 96 MiB at 1000 apps: $goal_rss (highest seen $rss_max MiB as the Docker image runs it).
- First scrape within 1.5 s of start, as the Docker image runs it, 1000 apps: $start_goal ($(field "${R[start_dockerfile_1000]}" 1) ms; 10 apps: $(field "${R[start_dockerfile_10]}" 1) ms).

### PostgreSQL: migration-exporter against postgres_exporter

From bench/postgres.sh, $pg_origin: $pg_heading. $pg_rss

| exporter | /metrics req/s | | p99 ms | | other | |
|---|---|---|---|---|---|---|
$pg_rows
EOF
log "done"
