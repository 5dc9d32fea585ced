#!/usr/bin/env bash
# Broadcast fan-out benchmark: one simulated CPO broadcasts Location PUTs and EVSE status PATCHes through the hub to N
# simulated eMSPs, next to the same pushes sent straight to the receivers by a plain reactive HTTP client (the
# limit), for N = 10 and 100; then once more with one receiver answering in 5 s (isolation); the hub's memory
# throughout. One command, everything on 127.0.0.1, everything it starts is stopped at the end (also on failure or
# Ctrl-C). The hub is hub-app's ocpi-hub.jar (embedded default); the driver is bench/driver's hub-bench.jar
# (org.ocpihub.bench.BroadcastBenchmark). See docs/benchmarks.md.
#
#   bench/broadcast/run.sh [--build | --no-build] [--build-dir target] [--runs 10:6000,100:1500] [--isolation 10]
#                          [--slow-seconds 5] [--concurrency 16] [--warmup 30] [--paced-fraction 0.5]
#                          [--paced-seconds 10] [--phase-timeout 300] [--receiver-delay-ms 0] [--production]
#
#   --build          always run ./mvnw -DskipTests package first (default: only when a jar is missing or older
#                    than a source file or pom)
#   --no-build       never build; use the existing jars
#   --build-dir      Maven output folder name (-Dbuild.dir.name), e.g. target-h8 to stay out of others' target/
#   --runs           N:M pairs: N receivers, M broadcasts (half Location PUTs, half EVSE status PATCHes)
#   --isolation      the N at which the runs are repeated with receiver 1 answering late (default: the smallest
#                    N of --runs; "none" to skip)
#   --slow-seconds   how late that receiver answers (default 5)
#   --concurrency    broadcasts in flight, for the CPO and for the direct client alike (default 16, at most 64); the
#                    direct client so has this many requests in flight per receiver, and the hub gets the same
#                    per-receiver concurrency (hub.broadcast.in-flight-per-receiver), unless HUB_ARGS sets it
#   --warmup         seconds of unmeasured broadcasts before the first run, for both JVMs' JIT (default 30)
#   --paced-fraction after each hub/direct pair, both again with pushes started at this fraction of the fan-out
#                    rate the hub just reached (latency without a backlog); 0 to skip (default 0.5)
#   --paced-seconds  length of those paced runs (default 10)
#   --phase-timeout  seconds a phase may wait for its deliveries before it is reported incomplete (default 300)
#   --receiver-delay-ms  every receiver answers this late, like a member on the internet (default 0: at once)
#   --production     the production jar (hub-server's ocpi-hub-server.jar) with an external PostgreSQL and a KRaft
#                    Kafka broker, one instance, started by deploy/local/topology.sh in the run folder (Kafka from
#                    the hub-app jar's libraries); default: hub-app's jar, embedded PostgreSQL and in-process Kafka.
#                    With --runs 2:150000 --isolation 2 --paced-fraction 0 this is issue 11's "RSS with 150 000
#                    deliveries owed to a lagging receiver"
#
# The hub runs with hub.broadcast.conflation=false: the driver checks that every push arrives at every receiver, and
# the plain client it is compared with cannot conflate.
# Environment: HUB_JAVA_OPTS (the hub's JVM options; unset: -Xmx384m, as the README's run command; set it empty for
# the JVM's own defaults; with --production unset or empty means deploy/local's -Xmx192m -XX:TrimNativeHeapInterval=5000), DRIVER_JAVA_OPTS (extra JVM options), HUB_ARGS (extra hub arguments, e.g.
# "--hub.broadcast.partitions=16"), MALLOC_ARENA_MAX (the hub's; unset: 2, as the README's run command),
# BENCH_KEEP=1 (keep the temporary run folder with the hub's log).
# Output: the tables on stdout and in bench/broadcast/results/<UTC date and time>.md. Exit status: the driver's
# (0 when every accepted push reached every receiver in every phase).
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

BUILD=auto
BUILD_DIR=target
RUNS="10:6000,100:1500"
ISOLATION=""   # the driver's default: the smallest N of --runs
SLOW_SECONDS=5
CONCURRENCY=16
WARMUP=30
PACED_FRACTION=0.5
PACED_SECONDS=10
PHASE_TIMEOUT=300
RECEIVER_DELAY_MS=0
PRODUCTION=no
ARGS_GIVEN="$*"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD=yes ;;
        --no-build) BUILD=no ;;
        --build-dir) BUILD_DIR="$2"; shift ;;
        --runs) RUNS="$2"; shift ;;
        --isolation) ISOLATION="$2"; shift ;;
        --slow-seconds) SLOW_SECONDS="$2"; shift ;;
        --concurrency) CONCURRENCY="$2"; shift ;;
        --warmup) WARMUP="$2"; shift ;;
        --phase-timeout) PHASE_TIMEOUT="$2"; shift ;;
        --paced-fraction) PACED_FRACTION="$2"; shift ;;
        --paced-seconds) PACED_SECONDS="$2"; shift ;;
        --receiver-delay-ms) RECEIVER_DELAY_MS="$2"; shift ;;
        --production) PRODUCTION=yes ;;
        -h|--help) sed -n '2,41p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[[ "$RUNS" =~ ^[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*$ ]] || { echo "--runs wants N:M[,N:M...]: $RUNS" >&2; exit 2; }
[[ -z "$ISOLATION" || "$ISOLATION" == none || "$ISOLATION" =~ ^[0-9]+$ ]] || { echo "--isolation wants a number or none" >&2; exit 2; }
[[ "$BUILD_DIR" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "--build-dir wants a folder name" >&2; exit 2; }
[[ "$PACED_FRACTION" =~ ^0(\.[0-9]+)?$ ]] || { echo "--paced-fraction wants 0 to below 1: $PACED_FRACTION" >&2; exit 2; }
for n in $SLOW_SECONDS $CONCURRENCY $PHASE_TIMEOUT $PACED_SECONDS; do
    [[ "$n" =~ ^[0-9]+$ && "$n" -gt 0 ]] || { echo "not a positive number: $n" >&2; exit 2; }
done
[[ "$WARMUP" =~ ^[0-9]+$ ]] || { echo "--warmup wants seconds: $WARMUP" >&2; exit 2; }
[[ "$RECEIVER_DELAY_MS" =~ ^[0-9]+$ ]] || { echo "--receiver-delay-ms wants milliseconds" >&2; exit 2; }
JAR="$ROOT/hub-app/$BUILD_DIR/ocpi-hub.jar"
DRIVER_JAR="$ROOT/bench/driver/$BUILD_DIR/hub-bench.jar"
SERVER_JAR="$ROOT/hub-server/$BUILD_DIR/ocpi-hub-server.jar"
# shellcheck source=bench/production-hub.sh
source "$ROOT/bench/production-hub.sh"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

command -v java >/dev/null || die "java not found"
if ! command -v curl >/dev/null; then
    log "installing curl (Debian package)"
    SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq curl >/dev/null
fi

if [[ "$BUILD" == auto ]]; then
    BUILD=no
    for jar in "$JAR" "$DRIVER_JAR" $( [[ "$PRODUCTION" == yes ]] && echo "$SERVER_JAR"); do
        if [[ ! -f "$jar" ]]; then
            BUILD=yes
        elif [[ -n "$(cd "$ROOT" && find pom.xml hub-*/pom.xml hub-*/src/main bench/driver/pom.xml bench/driver/src/main \
                -newer "$jar" -type f 2>/dev/null | head -1)" ]]; then
            BUILD=yes
        fi
    done
fi
if [[ "$BUILD" == yes ]]; then
    log "building (./mvnw -B -q -DskipTests -Dbuild.dir.name=$BUILD_DIR package)"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests -Dbuild.dir.name="$BUILD_DIR" package) || die "build failed"
fi
[[ -f "$JAR" ]] || die "$JAR missing (build it, or drop --no-build)"
[[ -f "$DRIVER_JAR" ]] || die "$DRIVER_JAR missing (build it, or drop --no-build)"
[[ "$PRODUCTION" == no || -f "$SERVER_JAR" ]] || die "$SERVER_JAR missing (build it, or drop --no-build)"

# ---------------------------------------------------------------- run folder, clean-up
RUN=$(mktemp -d /tmp/ocpihub-broadcast-bench.XXXXXX)
HUB_PID=""
DRIVER_PID=""

stop_pid() { # pid, name, seconds to wait before KILL
    local pid=$1 name=$2 wait=${3:-15}
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    log "$name ($pid) did not stop in ${wait}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    [[ -n "$DRIVER_PID" ]] && stop_pid "$DRIVER_PID" driver 10
    [[ -n "$HUB_PID" && "$PRODUCTION" == no ]] && stop_pid "$HUB_PID" hub 40
    if [[ "$PRODUCTION" == yes ]]; then
        # clean also removes the PostgreSQL cluster the postgres user keeps outside the run folder (as root); only
        # BENCH_KEEP=1 keeps the data, a failed run keeps the logs (copied into the run folder)
        if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
            LOCAL_TOPOLOGY_DIR="$RUN/topology" "$ROOT/deploy/local/topology.sh" stop >&2
            grep -E '^PG_(DIR|SOCKET_DIR)=' "$RUN/topology/topology.env" 2>/dev/null | sed 's/^/kept outside the run folder: /' >&2
        else
            [[ $rc -ne 0 && -d "$RUN/topology/logs" ]] && cp -r "$RUN/topology/logs" "$RUN/topology-logs"
            LOCAL_TOPOLOGY_DIR="$RUN/topology" "$ROOT/deploy/local/topology.sh" clean >&2
        fi
    fi
    # the hub's embedded PostgreSQL is its child; should the hub have been killed, stop the postmaster by its pid file
    for pidfile in "$RUN"/hub-data/postgres/postmaster.pid; do
        [[ -f "$pidfile" ]] || continue
        local pg; pg=$(head -1 "$pidfile")
        [[ "$pg" =~ ^[0-9]+$ ]] && stop_pid "$pg" postgres 15
    done
    if [[ "${BENCH_KEEP:-0}" == 1 || $rc -ne 0 ]]; then
        log "run folder kept: $RUN"
    else
        rm -rf "$RUN"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'log "error in line $LINENO: $BASH_COMMAND"' ERR
trap 'exit 130' INT TERM

free_port() { # variable name ← a port nothing listens on, below Linux's default ephemeral range
    local p
    for _ in $(seq 200); do
        p=$(( (RANDOM % 12000) + 20000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then printf -v "$1" %s "$p"; return 0; fi
    done
    die "no free port found"
}

# ---------------------------------------------------------------- the hub
# the issue's rule: the plain client gets the per-receiver concurrency the hub uses (one value, not a default of each)
IN_FLIGHT=""
[[ "${HUB_ARGS:-}" == *in-flight-per-receiver* ]] || IN_FLIGHT="hub.broadcast.in-flight-per-receiver=$CONCURRENCY"
if [[ "$PRODUCTION" == yes ]]; then
    # the operator's way (deploy/local): the production jar, PostgreSQL and Kafka as their own processes
    log "starting PostgreSQL, Kafka and one production hub (deploy/local/topology.sh in $RUN/topology)"
    # shellcheck disable=SC2086
    start_production_hub "$RUN" "$SERVER_JAR" "$JAR" hub.broadcast.conflation=false $IN_FLIGHT ${HUB_ARGS:-} \
        || die "the topology did not start (logs in $RUN/topology/logs)"
else
    free_port HUB_PORT
    HUB="http://127.0.0.1:$HUB_PORT"
    log "starting the hub on $HUB (embedded PostgreSQL and Kafka in $RUN/hub-data)"
    # shellcheck disable=SC2086
    MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX-2}" java ${HUB_JAVA_OPTS--Xmx384m} -jar "$JAR" --server.address=127.0.0.1 --server.port="$HUB_PORT" \
        --hub.data-dir="$RUN/hub-data" --hub.public-url="$HUB" --hub.broadcast.conflation=false ${IN_FLIGHT:+--$IN_FLIGHT} ${HUB_ARGS:-} \
        >"$RUN/hub.log" 2>&1 &
    HUB_PID=$!
    ADMIN_TOKEN_FILE="$RUN/hub-data/admin.token"
    POSTGRES_PID_FILE="$RUN/hub-data/postgres/postmaster.pid"
    HUB_LOG="$RUN/hub.log"
fi
for ((i = 0; ; i++)); do
    kill -0 "$HUB_PID" 2>/dev/null || { tail -30 "$HUB_LOG" >&2; die "the hub exited"; }
    [[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$HUB/actuator/health/readiness")" == 200 ]] && break
    (( i < 1800 )) || die "the hub was not ready within 180 s"
    sleep 0.1
done
log "hub ready (pid $HUB_PID)"

# ---------------------------------------------------------------- the driver
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME_BEFORE=$(uptime)
STARTED=$(date +%s)
DRIVER_RC=0
# shellcheck disable=SC2086
java ${DRIVER_JAVA_OPTS:-} -jar "$DRIVER_JAR" \
    --hub-url "$HUB" --admin-token-file "$ADMIN_TOKEN_FILE" --hub-pid "$HUB_PID" \
    --runs "$RUNS" ${ISOLATION:+--isolation "$ISOLATION"} --slow-seconds "$SLOW_SECONDS" --concurrency "$CONCURRENCY" \
    --warmup-seconds "$WARMUP" --phase-timeout "$PHASE_TIMEOUT" --paced-fraction "$PACED_FRACTION" \
    --paced-seconds "$PACED_SECONDS" --receiver-delay-ms "$RECEIVER_DELAY_MS" --postgres-pid-file "$POSTGRES_PID_FILE" \
    --report "$RUN/report.md" >"$RUN/driver.out" &
DRIVER_PID=$!
wait "$DRIVER_PID" || DRIVER_RC=$?
DRIVER_PID=""
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME_AFTER=$(uptime)
[[ -s "$RUN/report.md" ]] || die "the driver wrote no report (exit $DRIVER_RC)"
HUB_ERRORS=$(grep -c ' ERROR ' "$HUB_LOG" || true)
HUB_WARNS=$(grep -c ' WARN ' "$HUB_LOG" || true)

# ---------------------------------------------------------------- report
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
RESULT="$HERE/results/$STAMP.md"
mkdir -p "$HERE/results"
COMMIT=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo "?")
DIRTY=$(cd "$ROOT" && git status --porcelain -- hub-ocpi hub-embedded hub-registry hub-router hub-broadcast hub-server hub-testkit hub-app bench/driver 2>/dev/null | wc -l)
{
    echo "# Broadcast fan-out benchmark, $STAMP"
    echo
    echo "Command: \`bench/broadcast/run.sh${ARGS_GIVEN:+ $ARGS_GIVEN}\` (runs $RUNS, isolation ${ISOLATION:-at the smallest N}, slow receiver ${SLOW_SECONDS} s, concurrency $CONCURRENCY, receivers answering after ${RECEIVER_DELAY_MS} ms, warm-up ${WARMUP} s, paced at $PACED_FRACTION of the fan-out rate for ${PACED_SECONDS} s); $(( $(date +%s) - STARTED )) s from the hub's readiness to the end."
    echo
    echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $(java -version 2>&1 | head -1). The hub (JVM with in-process Kafka, plus its embedded PostgreSQL; with --production three processes) and the driver JVM (the CPO, the N receivers, the direct client) share the machine, on 127.0.0.1."
    echo
    echo "Hub: $( [[ "$PRODUCTION" == yes ]] && echo "the production jar \`hub-server/$BUILD_DIR/ocpi-hub-server.jar\`, one instance with an external PostgreSQL and KRaft Kafka (deploy/local/topology.sh)," || echo "\`hub-app/$BUILD_DIR/ocpi-hub.jar\`") of commit $COMMIT$( ((DIRTY > 0)) && echo " with $DIRTY uncommitted changes in the modules"), defaults: \`hub.broadcast.partitions\` 8, \`retry.max-attempts\` 4, \`retry.initial-backoff\` 2s, \`retry.max-backoff\` 20s, \`delivery-timeout\` 10s, \`receiver-backlog\` 1000, \`in-flight-per-receiver\` $( [[ -n "$IN_FLIGHT" ]] && echo "$CONCURRENCY (as --concurrency)" || echo "as HUB_ARGS sets it"); JVM options \`$( [[ "$PRODUCTION" == yes ]] && echo "$HUB_JAVA_OPTS_USED" || echo "${HUB_JAVA_OPTS--Xmx384m}")\`.$( [[ -n "${HUB_ARGS:-}${DRIVER_JAVA_OPTS:-}" ]] && echo " Environment: HUB_ARGS='${HUB_ARGS:-}' DRIVER_JAVA_OPTS='${DRIVER_JAVA_OPTS:-}'.")"
    echo
    echo "Load average (1, 5, 15 min) before the driver: $LOAD_BEFORE; after it: $LOAD_AFTER."
    echo "\`uptime\` before: \`$(echo "$UPTIME_BEFORE" | sed 's/^ *//')\`; after: \`$(echo "$UPTIME_AFTER" | sed 's/^ *//')\`."
    echo
    cat "$RUN/report.md"
    echo
    [[ "$PRODUCTION" == yes ]] && echo "With --production the hub's RSS holds neither Kafka nor PostgreSQL: both are processes of their own (deploy/local/topology.sh)." && echo
    echo "Hub log: $HUB_ERRORS ERROR and $HUB_WARNS WARN lines over the whole run. Driver exit status: $DRIVER_RC (0: every accepted push reached every receiver in every phase)."
} >"$RESULT"

echo
cat "$RESULT"
echo
log "written to ${RESULT#"$ROOT"/}"
exit "$DRIVER_RC"
