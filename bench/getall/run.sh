#!/usr/bin/env bash
# GET All via the hub over a large store (issue 11): a simulated CPO broadcasts --objects Locations through the hub
# (nobody receives them: only the hub's store fills), then a simulated eMSP walks every page by the hub's Link
# (keyset cursor) and, as the baseline in the same run, by building offset= itself. One command, everything on
# 127.0.0.1, everything it starts is stopped at the end. The hub is hub-app's ocpi-hub.jar (embedded default); the
# driver is bench/driver's hub-bench.jar (org.ocpihub.bench.GetAllBenchmark). See docs/benchmarks.md.
#
#   bench/getall/run.sh [--no-build] [--build-dir target] [--objects 100000] [--limit 100]
#
# Environment: HUB_JAVA_OPTS, DRIVER_JAVA_OPTS, BENCH_KEEP=1 (keep the run folder with the hub's log).
# Output: the table on stdout and in bench/getall/results/<UTC date and time>.md.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=auto
BUILD_DIR=target
OBJECTS=100000
LIMIT=100
ARGS_GIVEN="$*"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) BUILD=no ;;
        --build-dir) BUILD_DIR="$2"; shift ;;
        --objects) OBJECTS="$2"; shift ;;
        --limit) LIMIT="$2"; shift ;;
        -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
for n in "$OBJECTS" "$LIMIT"; do
    [[ "$n" =~ ^[0-9]+$ && "$n" -gt 0 ]] || { echo "not a positive number: $n" >&2; exit 2; }
done
[[ "$BUILD_DIR" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "--build-dir wants a folder name" >&2; exit 2; }
JAR="$ROOT/hub-app/$BUILD_DIR/ocpi-hub.jar"
DRIVER_JAR="$ROOT/bench/driver/$BUILD_DIR/hub-bench.jar"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
command -v java >/dev/null || die "java not found"
command -v curl >/dev/null || die "curl not found (apt-get install curl)"

if [[ "$BUILD" == auto ]]; then
    BUILD=no
    for jar in "$JAR" "$DRIVER_JAR"; do
        if [[ ! -f "$jar" ]] || [[ -n "$(cd "$ROOT" && find pom.xml hub-*/pom.xml hub-*/src/main bench/driver/pom.xml \
                bench/driver/src/main -newer "$jar" -type f 2>/dev/null | head -1)" ]]; then
            BUILD=yes
        fi
    done
fi
if [[ "$BUILD" == yes ]]; then
    log "building (./mvnw -B -q -DskipTests -Dbuild.dir.name=$BUILD_DIR package)"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests -Dbuild.dir.name="$BUILD_DIR" package) || die "build failed"
fi
[[ -f "$JAR" && -f "$DRIVER_JAR" ]] || die "jars missing (build them, or drop --no-build)"

RUN=$(mktemp -d /tmp/ocpihub-getall-bench.XXXXXX)
HUB_PID=""
stop_pid() {
    local pid=$1 wait=${2:-30}
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    [[ -n "$HUB_PID" ]] && stop_pid "$HUB_PID" 40
    local pidfile="$RUN/hub-data/postgres/postmaster.pid"
    [[ -f "$pidfile" ]] && stop_pid "$(head -1 "$pidfile")" 15
    if [[ "${BENCH_KEEP:-0}" == 1 || $rc -ne 0 ]]; then log "run folder kept: $RUN"; else rm -rf "$RUN"; fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for _ in $(seq 200); do
    HUB_PORT=$(( (RANDOM % 12000) + 20000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$HUB_PORT") 2>/dev/null || break
done
HUB="http://127.0.0.1:$HUB_PORT"
log "starting the hub on $HUB (embedded PostgreSQL and Kafka in $RUN/hub-data)"
# shellcheck disable=SC2086
java ${HUB_JAVA_OPTS:-} -jar "$JAR" --server.address=127.0.0.1 --server.port="$HUB_PORT" \
    --hub.data-dir="$RUN/hub-data" --hub.public-url="$HUB" --hub.security.allow-private-endpoints=true \
    >"$RUN/hub.log" 2>&1 &
HUB_PID=$!
for ((i = 0; ; i++)); do
    kill -0 "$HUB_PID" 2>/dev/null || { tail -30 "$RUN/hub.log" >&2; die "the hub exited"; }
    [[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$HUB/actuator/health/readiness")" == 200 ]] && break
    (( i < 1800 )) || die "the hub was not ready within 180 s"
    sleep 0.1
done
log "hub ready (pid $HUB_PID)"

STARTED=$(date +%s)
# shellcheck disable=SC2086
java ${DRIVER_JAVA_OPTS:-} -Dloader.main=org.ocpihub.bench.GetAllBenchmark -jar "$DRIVER_JAR" \
    --hub-url "$HUB" --admin-token-file "$RUN/hub-data/admin.token" --objects "$OBJECTS" --limit "$LIMIT" \
    --report "$RUN/report.md" >"$RUN/driver.out" || die "the driver failed (see $RUN/driver.out)"

STAMP=$(date -u +%Y-%m-%dT%H%MZ)
RESULT="$HERE/results/$STAMP.md"
mkdir -p "$HERE/results"
{
    echo "# GET All via the hub, $STAMP"
    echo
    echo "Command: \`bench/getall/run.sh${ARGS_GIVEN:+ $ARGS_GIVEN}\`; commit $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'); $(( $(date +%s) - STARTED )) s from the hub's readiness to the end."
    echo
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load before/after in the hub's log folder is not kept. The hub (embedded PostgreSQL and Kafka) and the driver share the machine."
    echo
    cat "$RUN/report.md"
} >"$RESULT"
cat "$RESULT"
log "written $RESULT"
