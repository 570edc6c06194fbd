#!/usr/bin/env bash
# Rehearsal to production (issue 13): the migration's ETA on a night at one size, configured from
# a rehearsal at another, against the same night without a rehearsal and with the rehearsal's
# durations copied by hand. Both Pix statements are traced at each size by bench/eta.sh (a real
# PostgreSQL), then replayed by RehearsalEtaBench.
#
#   mvn -B -q -o test-compile && bench/rehearsal-eta.sh 2000000 6000000
#   # or on traces already recorded (src/test/resources/eta: run1-* rehearsal, run2-* night):
#   bench/rehearsal-eta.sh --traces R1.json R2.json -- N1.json N2.json
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CP_FILE="$ROOT/target/eta-classpath.txt"
[[ -d "$ROOT/target/test-classes" ]] || { echo "compile first: mvn -B -q -o test-compile" >&2; exit 1; }
[[ -s "$CP_FILE" ]] || (cd "$ROOT" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >&2)
CP="$ROOT/target/classes:$ROOT/target/test-classes:$(cat "$CP_FILE")"
if [[ ${1:-} == --traces ]]; then
  shift
  TRACES_ARGS=("$@")
  LABEL="$*"
else
  (( $# == 2 )) || { echo "usage: bench/rehearsal-eta.sh REHEARSAL_ROWS NIGHT_ROWS | --traces R... -- N..." >&2; exit 2; }
  TRACES=$(mktemp -d /tmp/rehearsal-eta.XXXXXX)
  TRACES="$TRACES" "$ROOT/bench/eta.sh" "$1" "$2" >/dev/null
  TRACES_ARGS=("$TRACES/$1-1.json" "$TRACES/$1-2.json" -- "$TRACES/$2-1.json" "$TRACES/$2-2.json")
  LABEL="rehearsal $1 rows, night $2 rows"
fi
cat <<TXT
### $(date -u '+%Y-%m-%d %H:%M UTC') — $LABEL

Error of the migration's remaining time shown at 10 / 25 / 50 / 75 % of its real duration, as a
share of it (negative: the end announced too early; none: no end shown).

| set-up | 10 % | 25 % | 50 % | 75 % |
|---|---|---|---|---|
$(java -cp "$CP" io.migrationexporter.source.postgres.RehearsalEtaBench "${TRACES_ARGS[@]}")
TXT
