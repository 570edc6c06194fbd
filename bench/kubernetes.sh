#!/usr/bin/env bash
# What the Kubernetes client costs (issue 14, "Choice of client"): the exporter's own small client
# on its HTTP stack against fabric8's kubernetes-client and the official io.kubernetes:client-java.
#   1. The server jar with and without source/kubernetes/, and each alternative's jars with their
#      runtime dependencies (resolved by Maven in throwaway projects), what they would add.
#   2. One list of Deployments from a fresh JVM with each client (bench/kube-clients/): time from
#      the JVM's start to the list, resident memory and classes loaded then.
#   3. The exporter's startup to the first scrape and its resident memory, with 10 HTTP checks,
#      without and with a kubernetes source (two checks) against the API fake (bench/KubeFake.java).
# Everything runs on 127.0.0.1 and is stopped on exit. The Markdown report goes to stdout.
#
#   mvn -B -q -o package -DskipTests && bench/kubernetes.sh > /tmp/kubernetes.md
#
# Needs: a JDK 17, Maven (the alternatives come from Maven Central, or ~/.m2 once fetched), zip,
# hyperfine, curl, wrk, python3. Settings: RUNS (default 5), FABRIC8 (default 8.0.0), OFFICIAL
# (default 27.0.0), KEEP=1 keeps the temporary directory.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${JAR:-$ROOT/target/migration-exporter-server.jar}
FULL_JAR=$ROOT/target/migration-exporter.jar
RUNS=${RUNS:-5}
FABRIC8=${FABRIC8:-8.0.0}
OFFICIAL=${OFFICIAL:-27.0.0}
PROBE_TIMEOUT_S=5
TOKEN=bench-token-0123456789
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# ---------------------------------------------------------------------------------------------
# One startup, for hyperfine: launch, first scrape once the first collection is over, kill.
# Usage (internal): kubernetes.sh --startup-once WORKDIR CONF
if [[ "${1:-}" == "--startup-once" ]]; then
  work=$2 conf=$3
  WORK=$work
  err="$work/startup-$$.log"
  (launch "$conf" launcher) > /dev/null 2> "$err" &
  pid=$!
  trap 'kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
  port=""
  for _ in $(seq 1 1500); do
    port=$(listening_port "$err")
    [[ -n "$port" ]] && break
    kill -0 $pid 2>/dev/null || { cat "$err" >&2; exit 1; }
    sleep 0.02
  done
  [[ -n "$port" ]] || exit 1
  body=$(curl -sf --max-time 30 "http://127.0.0.1:$port/metrics")
  if grep -q kubernetes "$conf"; then
    grep -q '^migration_source_up{source="kubernetes:prod"} 1.0' <<< "$body" \
      || { echo "the first scrape has no kubernetes source up" >&2; exit 1; }
  fi
  exit 0
fi

[[ $# -eq 0 ]] || die "usage: bench/kubernetes.sh (no arguments; see the header for settings)"
missing=()
for tool in java javac mvn zip hyperfine curl wrk python3; do
  command -v "$tool" > /dev/null || missing+=("$tool")
done
(( ${#missing[@]} == 0 )) || die "missing: ${missing[*]}"
[[ -f "$JAR" && -f "$FULL_JAR" ]] || die "build the jars first: mvn -B -q -o package -DskipTests"

begin_work kubernetes
mib() { python3 -c "print(f'{$1 / 1048576:.2f}')"; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# 1. Sizes -------------------------------------------------------------------------------------
log "jar sizes"
cp "$JAR" "$WORK/without-kubernetes.jar"
zip -q -d "$WORK/without-kubernetes.jar" 'io/migrationexporter/source/kubernetes/*' > /dev/null
read -r kube_classes kube_raw < <(python3 - "$JAR" <<'EOF'
import sys, zipfile
entries = [e for e in zipfile.ZipFile(sys.argv[1]).infolist()
           if e.filename.startswith("io/migrationexporter/source/kubernetes/") and not e.is_dir()]
print(len(entries), sum(e.file_size for e in entries))
EOF
)
jar_bytes=$(stat -c %s "$JAR")
without_bytes=$(stat -c %s "$WORK/without-kubernetes.jar")

# What the exporter already ships: its runtime classpath's artifact names, versions stripped.
(cd "$ROOT" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$WORK/classpath.txt" > /dev/null)
tr ':' '\n' < "$WORK/classpath.txt" | xargs -n1 basename | sed -E 's/-[0-9][^-]*(-[A-Za-z]+)?\.jar$//' \
  | sort -u > "$WORK/shipped.txt"

# resolve NAME GROUP ARTIFACT VERSION: the artifact and its runtime dependencies in $WORK/NAME/lib.
resolve() {
  local name=$1
  mkdir -p "$WORK/$name"
  cat > "$WORK/$name/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>$name</artifactId><version>1</version>
  <dependencies><dependency><groupId>$2</groupId><artifactId>$3</artifactId><version>$4</version></dependency></dependencies>
</project>
EOF
  mvn -B -q -o -f "$WORK/$name/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$WORK/$name/lib" > /dev/null 2>&1 \
    || mvn -B -q -f "$WORK/$name/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$WORK/$name/lib" > /dev/null
}
# lib_row NAME TITLE: a table row of the jars in $WORK/NAME/lib, and of those the exporter lacks.
lib_row() {
  local dir=$WORK/$1/lib jar base total=0 added=0 jars=0 new_jars=0 classes=0 new_classes=0 n
  for jar in "$dir"/*.jar; do
    base=$(basename "$jar" | sed -E 's/-[0-9][^-]*(-[A-Za-z]+)?\.jar$//')
    n=$(unzip -Z1 "$jar" | grep -c '\.class$' || true)
    total=$((total + $(stat -c %s "$jar"))); jars=$((jars + 1)); classes=$((classes + n))
    if ! grep -qx "$base" "$WORK/shipped.txt"; then
      added=$((added + $(stat -c %s "$jar"))); new_jars=$((new_jars + 1))
      new_classes=$((new_classes + n))
    fi
  done
  echo "| $2 | $jars | $(mib $total) | $classes | $new_jars | $(mib $added) | $new_classes |"
}
log "resolving fabric8 kubernetes-client $FABRIC8 and client-java $OFFICIAL"
resolve fabric8 io.fabric8 kubernetes-client "$FABRIC8"
resolve official io.kubernetes client-java "$OFFICIAL"

# 2. One list with each client -----------------------------------------------------------------
log "starting the API fake"
java -Xmx128m -XX:+UseSerialGC -cp "$FULL_JAR" "$ROOT/bench/KubeFake.java" "$TOKEN" \
  > "$WORK/fake.out" 2> "$WORK/fake.err" &
PIDS+=("$!")
FAKE_PORT=""
for _ in $(seq 1 300); do
  FAKE_PORT=$(awk '/^listening/ {print $2}' "$WORK/fake.out" 2>/dev/null || true)
  [[ -n "$FAKE_PORT" ]] && break
  sleep 0.1
done
[[ -n "$FAKE_PORT" ]] || { cat "$WORK/fake.err" >&2; die "the fake did not start"; }
FAKE="http://127.0.0.1:$FAKE_PORT"

CLIENTS=$ROOT/bench/kube-clients
mkdir -p "$WORK/classes/ours" "$WORK/classes/fabric8" "$WORK/classes/official"
javac -d "$WORK/classes/ours" -cp "$JAR" "$CLIENTS/Report.java" "$CLIENTS/OkHttpList.java"
javac -d "$WORK/classes/fabric8" -cp "$WORK/fabric8/lib/*" "$CLIENTS/Report.java" "$CLIENTS/Fabric8List.java"
javac -d "$WORK/classes/official" -cp "$WORK/official/lib/*" "$CLIENTS/Report.java" "$CLIENTS/OfficialList.java"
# list_row TITLE CLASSPATH MAIN: medians of RUNS first lists (one warm-up run first).
list_row() {
  local i out
  : > "$WORK/list.txt"
  for ((i = 0; i <= RUNS; i++)); do
    out=$(java -cp "$2" "$3" "$FAKE" "$TOKEN" 2> /dev/null | grep '^first-list-ms')
    [[ -n "$out" ]] || die "$3 did not list"
    (( i > 0 )) && echo "$out" >> "$WORK/list.txt"
  done
  echo "| $1 | $(awk '{print $2}' "$WORK/list.txt" | median) | $(awk '{print $4}' "$WORK/list.txt" | median) | $(awk '{print $6}' "$WORK/list.txt" | median) |"
}
log "one list per client, $RUNS runs each"
list_ours=$(list_row "the exporter's stack: OkHttp + Jackson tree (what source/kubernetes does)" "$WORK/classes/ours:$JAR" OkHttpList)
list_fabric8=$(list_row "fabric8 kubernetes-client $FABRIC8" "$WORK/classes/fabric8:$WORK/fabric8/lib/*" Fabric8List)
list_official=$(list_row "io.kubernetes client-java $OFFICIAL" "$WORK/classes/official:$WORK/official/lib/*" OfficialList)

# 3. The exporter with and without a kubernetes source -----------------------------------------
start_target
gen_config 10 0 1h "$WORK/http.conf"
printf '%s' "$TOKEN" > "$WORK/token"
{
  cat "$WORK/http.conf"
  cat <<EOF
sources.kubernetes.prod { api-url = "$FAKE", token-file = "$WORK/token", namespace = pix, interval = 1h }
checks {
  k8s-apps { kubernetes-workloads { cluster = prod, selector = "app.kubernetes.io/part-of=pix" } }
  k8s-cron { kubernetes-cronjobs { cluster = prod, selector = "app.kubernetes.io/part-of=pix" } }
}
EOF
} > "$WORK/kubernetes.conf"
SELF=$ROOT/bench/kubernetes.sh
declare -A STARTUP RSS_IDLE RSS_LOAD
for variant in http kubernetes; do
  log "startup, $variant"
  hyperfine --style none --runs "$RUNS" --warmup 1 --export-csv "$WORK/startup-$variant.csv" \
    "bash '$SELF' --startup-once '$WORK' '$WORK/$variant.conf'" > /dev/null
  STARTUP[$variant]=$(awk -F, 'NR == 2 {printf "%.0f (%.0f–%.0f)", $4 * 1000, $7 * 1000, $8 * 1000}' "$WORK/startup-$variant.csv")
  start_exporter "$WORK/$variant.conf" launcher
  sleep 2  # what the first collection left settles
  RSS_IDLE[$variant]=$(rss_mib "$EX_PID")
  wrk -t1 -c4 -d5s "http://127.0.0.1:$EX_PORT/metrics" > /dev/null
  RSS_LOAD[$variant]=$(rss_mib "$EX_PID")
  stop_exporter
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cat <<EOF
### $STARTED_AT — \`bench/kubernetes.sh\` (RUNS=$RUNS)

- Machine: $(nproc) CPUs, $(java -version 2>&1 | head -1); load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $load_after.

Sizes. The server jar: $(mib "$jar_bytes") MiB; without \`source/kubernetes/\` ($kube_classes class files, $(python3 -c "print(round($kube_raw / 1024))") KiB uncompressed): $(mib "$without_bytes") MiB, so the client and checks weigh $(python3 -c "print(round(($jar_bytes - $without_bytes) / 1024))") KiB. The alternatives with their runtime dependencies; "added" leaves out the artifacts the server jar already has (under any version):

| client | jars | MiB | classes | jars added | MiB added | classes added |
|---|---|---|---|---|---|---|
$(lib_row fabric8 "fabric8 kubernetes-client $FABRIC8")
$(lib_row official "io.kubernetes client-java $OFFICIAL")

One list of 20 Deployments from the API fake by a fresh JVM (\`java -cp ... bench/kube-clients/<Main>\`, no flags), median of $RUNS runs after a warm-up:

| client | JVM start to the list (ms) | RSS then (MiB) | classes loaded |
|---|---|---|---|
$list_ours
$list_fabric8
$list_official

The exporter (\`bin/migration-exporter\`, recommended flags, no class data archive), 10 HTTP checks, without and with a kubernetes source (two checks: 20 Deployments, 101 pods, 5 CronJobs; 8 lists a refresh): startup to the first scrape (hyperfine, $RUNS runs after a warm-up, median (min–max)), RSS 2 s after ready and after \`wrk -t1 -c4 -d5s /metrics\`:

| configuration | startup (ms) | RSS idle / after load (MiB) |
|---|---|---|
| 10 HTTP checks | ${STARTUP[http]} | ${RSS_IDLE[http]} / ${RSS_LOAD[http]} |
| the same + a kubernetes source | ${STARTUP[kubernetes]} | ${RSS_IDLE[kubernetes]} / ${RSS_LOAD[kubernetes]} |
EOF
