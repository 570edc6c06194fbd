#!/usr/bin/env bash
# Accuracy of the rewrite ETA (issue 11): on a real PostgreSQL, the Pix schema at each size
# given, both Pix statements run one after the other, each followed once a second from another
# session as the exporter follows it (WAL position, pg_stat_database temp and read counters, the
# session's wait event, its parallel workers), the traces replayed through the estimator.
# Prints, per statement and size, the error of the remaining time shown at 25, 50 and 75 % of the
# step's real duration, as a share of that duration (goal: within 20 %), next to the WAL-ratio
# estimate the time model replaced.
#
#   mvn -B -q -o test-compile && bench/eta.sh 2000000 6000000 10000000
#
# Needs: psql (postgresql-client), python3, a JDK 17, the compiled classes (target/classes,
# target/test-classes), and PostgreSQL binaries (see start_postgres in lib.sh: PG_BIN, Debian's
# postgresql, or the embedded binaries of the tests). TRACES=DIR keeps the traces (JSON, one per
# statement and size) in DIR. Progress on stderr, the Markdown table on stdout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(( $# > 0 )) || { echo "usage: bench/eta.sh ROWS... (e.g. 2000000 6000000 10000000)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/eta-bench.XXXXXX)
PIDS=()
source "$ROOT/bench/lib.sh"
cleanup() { stop_postgres; rm -rf "$WORK"; }
trap cleanup EXIT

for tool in psql java python3; do
  command -v "$tool" >/dev/null || die "missing $tool (apt-get install -y postgresql-client openjdk-17-jdk-headless python3)"
done
[[ -d "$ROOT/target/test-classes" ]] || die "compile first: mvn -B -q -o test-compile"
CP_FILE="$ROOT/target/eta-classpath.txt"
[[ -s "$CP_FILE" ]] || (cd "$ROOT" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >&2)
# A copy of the classes: a build during the run does not pull them from under it.
cp -r "$ROOT/target/classes" "$WORK/classes"
cp -r "$ROOT/target/test-classes" "$WORK/test-classes"
CP="$WORK/classes:$WORK/test-classes:$(cat "$CP_FILE")"
TRACES=${TRACES:-$WORK/traces}
mkdir -p "$TRACES"

# Defaults but for the WAL kept between checkpoints: a production server sized for a migration
# window does not checkpoint every few seconds.
start_postgres "max_wal_size = 8GB" "log_checkpoints = on"
URL="jdbc:postgresql://127.0.0.1:$PGPORT/postgres?user=postgres"
sql() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres "$@"; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS_OUT=()
for rows in "$@"; do
  log "loading $rows rows into answers and knowledge-elements"
  sql <<SQL
DROP TABLE IF EXISTS "knowledge-elements", answers;
CREATE TABLE answers (id serial PRIMARY KEY, "challengeId" varchar(20) NOT NULL,
  result varchar(10) NOT NULL, value text NOT NULL, "createdAt" timestamptz NOT NULL);
INSERT INTO answers ("challengeId", result, value, "createdAt")
  SELECT 'rec' || (g % 5000), CASE WHEN g % 3 = 0 THEN 'ko' ELSE 'ok' END,
         left(md5(g::text), 16), now() - g * interval '1 second'
  FROM generate_series(1, $rows) g;
CREATE TABLE "knowledge-elements" (id serial PRIMARY KEY, "answerId" integer NOT NULL,
  source varchar(10) NOT NULL, "earnedPix" real NOT NULL);
INSERT INTO "knowledge-elements" ("answerId", source, "earnedPix")
  SELECT g, 'direct', (g % 8)::real FROM generate_series(1, $rows) g;
ALTER TABLE "knowledge-elements" ADD FOREIGN KEY ("answerId") REFERENCES answers (id);
CREATE INDEX "knowledge-elements_answerid_index" ON "knowledge-elements" ("answerId");
VACUUM ANALYZE answers;
VACUUM ANALYZE "knowledge-elements";
SQL
  label=$(awk -v r="$rows" 'BEGIN { printf "%gM rows", r / 1e6 }')
  i=0
  for statement in 'ALTER TABLE "knowledge-elements" ALTER COLUMN "answerId" TYPE bigint' \
                   'ALTER TABLE answers ALTER COLUMN id TYPE bigint'; do
    i=$((i + 1))
    sql -c CHECKPOINT
    name=$([[ $i == 1 ]] && echo 'knowledge-elements.answerId' || echo 'answers.id')
    log "$label: $statement"
    java -cp "$CP" io.migrationexporter.source.postgres.EtaBench record "$URL" \
      "$label, $name" "$statement" "$TRACES/$rows-$i.json"
    ROWS_OUT+=("$(java -cp "$CP" io.migrationexporter.source.postgres.EtaBench report "$TRACES/$rows-$i.json")")
    log "${ROWS_OUT[-1]}"
  done
done

cat <<TXT
### $(date -u '+%Y-%m-%d %H:%M UTC') — \`bench/eta.sh $*\`

Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB; PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') (defaults, max_wal_size 8GB); load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg).

Error of the remaining time shown at 25 / 50 / 75 % of the step's real duration, as a share of
that duration (positive: the end announced too late). Goal: within ±20 %.

| step | duration | time model 25 % | 50 % | 75 % | WAL ratio (before) 25 % | 50 % | 75 % |
|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${ROWS_OUT[@]}")
TXT
