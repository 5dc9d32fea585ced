#!/usr/bin/env bash
# The hub at national scale (issue 11, "At national scale"): 1 000 member platforms onboarded through the credentials
# handshake (100 CPOs, 900 eMSPs/NSPs of which 10 eMSPs receive Locations; every member counts the Hub Client Info
# PUTs it gets) while an eMSP GETs single Locations of a CPO through the hub (p99 against a baseline before the
# onboarding); then 100 000 Location PUTs broadcast by the CPOs, each of which must reach every receiver (failed
# deliveries at the hub counted); then one receiver walks GET All Locations through the hub; the hub's RSS, heap and
# CPU per phase. One command, everything on 127.0.0.1, everything it starts is stopped at the end (also on failure or
# Ctrl-C). The hub is hub-app's ocpi-hub.jar (embedded default: in-process Kafka, embedded PostgreSQL, a fresh
# temporary data dir); the driver is bench/driver's hub-bench.jar (org.ocpihub.bench.NationalScaleBenchmark).
#
#   bench/national/run.sh [--build | --no-build] [--build-dir target] [--hub-jar FILE] [--cpos 100] [--others 900]
#                         [--receivers 10] [--locations 100000] [--concurrency 16] [--phase-timeout 900]
#                         [--probe-rate 20] [--warmup-seconds 20] [--baseline-seconds 20] [--onboard-concurrency 1]
#                         [--onboard-rate 0]
#                         [--page-limit 100] [--quiet-seconds 10] [--client-info on|off] [--production]
#                         [--driver-nice 0]
#
#   --build          always run ./mvnw -DskipTests package first (default: only when a jar is missing or older
#                    than a source file or pom)
#   --no-build       never build; use the existing jars
#   --build-dir      Maven output folder name (-Dbuild.dir.name), e.g. target-nat to stay out of others' target/
#   --hub-jar        the hub jar to run (default hub-app/<build-dir>/ocpi-hub.jar; not rebuilt when given)
#   --cpos           CPO platforms (locations SENDER); the Locations are spread over them (default 100)
#   --others         eMSP and NSP platforms (default 900): the first --receivers are eMSPs with locations RECEIVER,
#                    of the rest two in three are eMSPs (tokens SENDER), one in three NSPs (no functional module)
#   --receivers      eMSPs that receive the broadcast Locations (default 10)
#   --locations      Location PUTs broadcast (default 100000)
#   --concurrency    pushes in flight from the CPOs together (default 16)
#   --phase-timeout  seconds a wait may take (pushing, deliveries, the ClientInfo drain, GET All) before its phase
#                    is reported incomplete (default 900)
#   --probe-rate     routed GETs per second of the background eMSP (default 20)
#   --warmup-seconds routed GETs before the baseline, not measured (the JITs of a fresh hub and driver; default 20)
#   --baseline-seconds  routed GETs measured before the onboarding (default 20)
#   --onboard-concurrency  registrations at once (default 1: members are onboarded one after another)
#   --onboard-rate   registrations started per second at most (default 0: each as soon as the one before is done);
#                    e.g. 1 for members signing up at a pace that leaves the machine room, against back to back
#   --page-limit     GET All page size asked for (default 100)
#   --quiet-seconds  the ClientInfo fan-out counts as drained after this long without a ClientInfo PUT (default 10)
#   --client-info    off: no member implements hubclientinfo RECEIVER (default on)
#   --production     the production jar (hub-server's ocpi-hub-server.jar) as deploy/local/topology.sh runs it: one
#                    instance, PostgreSQL and a KRaft Kafka as processes of their own (Kafka from the jar's
#                    libraries), nginx in front (the members' URL); the driver's admin calls go to the hub's own port, the members' calls (routed GETs, GET All, pushes) through nginx. The hub's
#                    RSS then holds neither Kafka nor PostgreSQL (issue 11: ≤ 512 MiB for the production jar).
#                    HUB_ARGS become lines of its properties file.
#   --driver-nice    the driver JVM's nice value (default 0; 19: the 1 000 member servers, the CPOs and the probe
#                    yield the cores to the hub, its PostgreSQL, Kafka and nginx, as a load generator on another
#                    machine would; the driver's own round trips then include its waits, the hub's `took=` does not)
#
# Environment: HUB_JAVA_OPTS (the hub's JVM options; unset: -Xmx384m, as the README's run command; set it empty
# for the JVM's own defaults; with --production unset or empty means deploy/local's -Xmx192m -XX:TrimNativeHeapInterval=5000), DRIVER_JAVA_OPTS (extra JVM options), HUB_ARGS (extra hub arguments, e.g.
# "--hub.broadcast.in-flight-per-receiver=32"), MALLOC_ARENA_MAX (the hub's; unset: 2, as the README's run command),
# BENCH_KEEP=1 (keep the temporary run folder with the logs).
# Output: the tables on stdout and in bench/national/results/<UTC date and time>.md (also, marked partial, when the
# run is interrupted). Exit status: the driver's (0 when every phase completed: every member onboarded, every push
# accepted and delivered to every receiver, every page walked).
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

BUILD=auto
BUILD_DIR=target
HUB_JAR=""
CPOS=100
OTHERS=900
RECEIVERS=10
LOCATIONS=100000
CONCURRENCY=16
PHASE_TIMEOUT=900
PROBE_RATE=20
WARMUP_SECONDS=20
BASELINE_SECONDS=20
ONBOARD_CONCURRENCY=1
ONBOARD_RATE=0
PAGE_LIMIT=100
QUIET_SECONDS=10
CLIENT_INFO=on
PRODUCTION=no
DRIVER_NICE=0
ARGS_GIVEN="$*"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD=yes ;;
        --no-build) BUILD=no ;;
        --build-dir) BUILD_DIR="$2"; shift ;;
        --hub-jar) HUB_JAR="$2"; shift ;;
        --cpos) CPOS="$2"; shift ;;
        --others) OTHERS="$2"; shift ;;
        --receivers) RECEIVERS="$2"; shift ;;
        --locations) LOCATIONS="$2"; shift ;;
        --concurrency) CONCURRENCY="$2"; shift ;;
        --phase-timeout) PHASE_TIMEOUT="$2"; shift ;;
        --probe-rate) PROBE_RATE="$2"; shift ;;
        --warmup-seconds) WARMUP_SECONDS="$2"; shift ;;
        --baseline-seconds) BASELINE_SECONDS="$2"; shift ;;
        --onboard-concurrency) ONBOARD_CONCURRENCY="$2"; shift ;;
        --onboard-rate) ONBOARD_RATE="$2"; shift ;;
        --page-limit) PAGE_LIMIT="$2"; shift ;;
        --quiet-seconds) QUIET_SECONDS="$2"; shift ;;
        --client-info) CLIENT_INFO="$2"; shift ;;
        --production) PRODUCTION=yes ;;
        --driver-nice) DRIVER_NICE="$2"; shift ;;
        -h|--help) sed -n '2,55p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
for n in "$CPOS" "$OTHERS" "$RECEIVERS" "$LOCATIONS" "$CONCURRENCY" "$PHASE_TIMEOUT" "$PROBE_RATE" \
        "$WARMUP_SECONDS" "$BASELINE_SECONDS" "$ONBOARD_CONCURRENCY" "$PAGE_LIMIT" "$QUIET_SECONDS"; do
    [[ "$n" =~ ^[0-9]+$ && "$n" -gt 0 ]] || { echo "not a positive number: $n" >&2; exit 2; }
done
(( RECEIVERS < OTHERS )) || { echo "--others must exceed --receivers (one non-receiving eMSP runs the routed GETs)" >&2; exit 2; }
[[ "$ONBOARD_RATE" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "--onboard-rate wants registrations per second (0: unpaced)" >&2; exit 2; }
[[ "$CLIENT_INFO" == on || "$CLIENT_INFO" == off ]] || { echo "--client-info wants on or off" >&2; exit 2; }
[[ "$BUILD_DIR" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "--build-dir wants a folder name" >&2; exit 2; }
[[ "$DRIVER_NICE" =~ ^[0-9]+$ && "$DRIVER_NICE" -le 19 ]] || { echo "--driver-nice wants 0 to 19" >&2; exit 2; }
if [[ "$PRODUCTION" == yes ]]; then
    JAR="${HUB_JAR:-$ROOT/hub-server/$BUILD_DIR/ocpi-hub-server.jar}"
else
    JAR="${HUB_JAR:-$ROOT/hub-app/$BUILD_DIR/ocpi-hub.jar}"
fi
DRIVER_JAR="$ROOT/bench/driver/$BUILD_DIR/hub-bench.jar"
# the KRaft broker of --production comes from hub-app's jar (it embeds one); the production jar has only the client
KAFKA_JAR="$ROOT/hub-app/$BUILD_DIR/ocpi-hub.jar"
# shellcheck source=bench/production-hub.sh
source "$ROOT/bench/production-hub.sh"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

command -v java >/dev/null || die "java not found"
command -v curl >/dev/null || die "curl not found (apt-get install curl)"

if [[ "$BUILD" == auto ]]; then
    BUILD=no
    for jar in $([[ -z "$HUB_JAR" ]] && echo "$JAR") "$DRIVER_JAR"; do
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
[[ -f "$JAR" ]] || die "$JAR missing (build it, or drop --no-build)"
[[ -f "$DRIVER_JAR" ]] || die "$DRIVER_JAR missing (build it, or drop --no-build)"
[[ "$PRODUCTION" == no || -f "$KAFKA_JAR" ]] || die "$KAFKA_JAR (Kafka's broker for --production) missing"

# ---------------------------------------------------------------- run folder, clean-up
RUN=$(mktemp -d /tmp/ocpihub-national-bench.XXXXXX)
if [[ "$PRODUCTION" == yes ]]; then
    # the hub's JVM options: deploy/local/topology.sh's (start_production_hub sets them); the paths are topology.sh's,
    # known before the start so that a failed start still reports
    HUB_JAVA_OPTS_USED="?"
    RSS_TARGET_MIB=512   # issue 11: the production jar, Kafka and PostgreSQL in processes of their own
    HUB_LOG="$RUN/topology/logs/hub-1.log"
    ADMIN_TOKEN_FILE="$RUN/topology/secrets/admin-token"
    POSTGRES_PID_FILE="$RUN/topology/pids/postgres.pid"
else
    HUB_JAVA_OPTS_USED="${HUB_JAVA_OPTS--Xmx384m}"   # the README's run command's
    RSS_TARGET_MIB=768   # issue 11: the embedded default, its Kafka broker in the hub's JVM
    HUB_LOG="$RUN/hub.log"
    ADMIN_TOKEN_FILE="$RUN/hub-data/admin.token"
    POSTGRES_PID_FILE="$RUN/hub-data/postgres/postmaster.pid"
fi
HUB_PID=""
DRIVER_PID=""
RESULT=""
STARTED=$(date +%s)
# the jars run from the run folder: a build elsewhere may replace them while the benchmark runs
cp "$JAR" "$RUN/ocpi-hub.jar"
cp "$DRIVER_JAR" "$RUN/hub-bench.jar"
# the driver's progress at INFO (the driver jar's own logback.xml keeps everything at WARN)
cat >"$RUN/logback.xml" <<'EOF'
<configuration>
  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss} %-5level %logger{0} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.ocpihub.bench" level="INFO"/>
  <root level="WARN"><appender-ref ref="STDERR"/></root>
</configuration>
EOF

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
    # the driver writes what it measured so far to its report when it is stopped
    [[ -n "$DRIVER_PID" ]] && stop_pid "$DRIVER_PID" driver 20
    if [[ -z "$RESULT" && -s "$RUN/report.md" ]]; then
        write_result "interrupted (exit $rc): partial figures"
    fi
    [[ -n "$HUB_PID" && "$PRODUCTION" == no ]] && stop_pid "$HUB_PID" hub 40
    if [[ "$PRODUCTION" == yes && -d "$RUN/topology" ]]; then
        # clean also removes the PostgreSQL cluster topology.sh keeps outside the run folder; a failed or kept run
        # keeps the logs (copied into the run folder)
        [[ -d "$RUN/topology/logs" ]] && cp -r "$RUN/topology/logs" "$RUN/topology-logs"
        LOCAL_TOPOLOGY_DIR="$RUN/topology" "$ROOT/deploy/local/topology.sh" clean >&2
    fi
    # the hub's embedded PostgreSQL is detached from it; should the hub have been killed, stop it by its pid file
    local pidfile="$RUN/hub-data/postgres/postmaster.pid"
    if [[ -f "$pidfile" ]]; then
        local pg; pg=$(head -1 "$pidfile")
        [[ "$pg" =~ ^[0-9]+$ ]] && stop_pid "$pg" postgres 15
    fi
    if [[ "${BENCH_KEEP:-0}" == 1 || $rc -ne 0 ]]; then
        log "run folder kept: $RUN"
    else
        rm -rf "$RUN"
    fi
    exit "$rc"
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

# the hub's log: ERROR and WARN lines, and the commonest messages
hub_log_summary() {
    local errors warns
    errors=$(grep -c ' ERROR ' "$HUB_LOG" || true)
    warns=$(grep -c ' WARN ' "$HUB_LOG" || true)
    echo "Hub log: $errors ERROR and $warns WARN lines over the whole run."
    if (( errors + warns > 0 )); then
        echo
        echo "Commonest ERROR/WARN messages (logger and message, numbers masked):"
        echo
        echo '```'
        grep -E ' (ERROR|WARN) ' "$HUB_LOG" | sed -E 's/^.*(ERROR|WARN) +[0-9]+ +--- +\[[^]]*\] +\[[^]]*\] +//; s/^.*(ERROR|WARN) +//' \
            | sed -E 's/[0-9a-f]{8}-[0-9a-f-]{27}/<uuid>/g; s/\[[0-9a-f]{8}-[^]]*\]/[<connection>]/g; s/\b[0-9]+\b/N/g' | cut -c1-220 | sort | uniq -c | sort -rn | head -8
        echo '```'
    fi
}

# the credentials POSTs as the hub timed them (its request log): all, and the last tenth
hub_credentials_summary() {
    local took="$RUN/credentials-took.txt"
    grep -E 'ocpihub\.requests +: POST /ocpi/2\.2\.1/credentials status=200 ' "$HUB_LOG" \
        | grep -oE 'took=[0-9]+' | cut -d= -f2 >"$took" || true
    local n; n=$(wc -l <"$took")
    (( n > 0 )) || return 0
    local tenth=$(( n / 10 > 0 ? n / 10 : 1 ))
    echo "The credentials POSTs as the hub timed them (\`took=\` of \`POST /ocpi/2.2.1/credentials status=200\` in its request log), ms: all $n $(percentiles <"$took"); the last $tenth $(tail -n "$tenth" "$took" | percentiles)."
}

# the routed GETs as the hub timed them (took= of the probe's requests, whose X-Request-ID names the phase): the hub's
# share of the driver's round trip, which also holds the driver's own queues (it hosts every member on the same cores)
hub_probe_summary() {
    local phase line="" own=""
    for phase in baseline onboarding drain broadcast; do
        local took="$RUN/probe-took-$phase.txt"
        grep -E "ocpihub\.requests +: GET [^ ]+ status=200 .*request_id=probe-$phase-" "$HUB_LOG" \
            | grep -oE 'took=[0-9]+ms( upstream=[0-9]+ms)?' >"$took.lines" || true
        sed -E 's/^took=([0-9]+)ms.*$/\1/' "$took.lines" >"$took"
        # took − upstream: the hub's own share, without the CPO's answer time (the CPO is one of the driver's members)
        grep ' upstream=' "$took.lines" | sed -E 's/^took=([0-9]+)ms upstream=([0-9]+)ms$/\1 \2/' \
            | awk '{ print $1 - $2 }' >"$took.own" || true
        local n; n=$(wc -l <"$took")
        (( n > 0 )) || continue
        line+="${line:+; }$phase ($n) $(percentiles <"$took")"
        [[ -s "$took.own" ]] && own+="${own:+; }$phase ($(wc -l <"$took.own")) $(percentiles <"$took.own")"
    done
    [[ -n $line ]] || return 0
    echo "The routed GETs as the hub timed them (\`took=\` in its request log, from its first filter to the answer's end, upstream included), ms: $line."
    [[ -z $own ]] || echo "The hub's own share of them (\`took\` minus \`upstream\`, the CPO's time to its answer's head; whole milliseconds each), ms: $own."
}

percentiles() { # numbers on stdin → "p50 x, p99 y, max z" (nearest rank)
    sort -n | awk '{a[NR] = $1} END {
        split("0.5 0.99", p, " ");
        for (i = 1; i <= 2; i++) { r = p[i] * NR; k = int(r); if (k < r) k++; if (k < 1) k = 1; v[i] = a[k] }
        printf "p50 %s, p99 %s, max %s", v[1], v[2], a[NR] }'
}

write_result() { # note for the title, or empty
    local note=$1
    local stamp; stamp=$(date -u +%Y-%m-%dT%H%MZ)
    RESULT="$HERE/results/$stamp.md"
    mkdir -p "$HERE/results"
    local commit dirty
    commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo "?")
    dirty=$(cd "$ROOT" && git status --porcelain -- hub-ocpi hub-embedded hub-registry hub-router hub-broadcast hub-server hub-testkit hub-app bench/driver 2>/dev/null | wc -l)
    {
        echo "# The hub at national scale, $stamp${note:+ ($note)}"
        echo
        echo "Command: \`bench/national/run.sh${ARGS_GIVEN:+ $ARGS_GIVEN}\` ($CPOS CPOs, $OTHERS others of which $RECEIVERS receivers, $LOCATIONS Locations, concurrency $CONCURRENCY, phase timeout $PHASE_TIMEOUT s, routed GETs at $PROBE_RATE/s, $WARMUP_SECONDS s of warm-up and $BASELINE_SECONDS s of baseline, onboarding $ONBOARD_CONCURRENCY at a time$( [[ "$ONBOARD_RATE" =~ ^0*(\.0*)?$ ]] || echo ", started at most $ONBOARD_RATE per second"), pages of $PAGE_LIMIT, ClientInfo $CLIENT_INFO, driver nice $DRIVER_NICE); $(( $(date +%s) - STARTED )) s in all, $(( $(date +%s) - ${READY_AT:-$(date +%s)} )) s from the hub's readiness to the end."
        echo
        echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $(java -version 2>&1 | head -1). $( [[ "$PRODUCTION" == yes ]] && echo "The hub JVM, its PostgreSQL, its Kafka broker and nginx (deploy/local/topology.sh)" || echo "The hub (JVM with in-process Kafka, plus its embedded PostgreSQL)") and the driver JVM (every member platform, each its own HTTP server) share the machine, on 127.0.0.1."
        echo
        echo "Hub: \`${JAR#"$ROOT"/}\` (built $(date -u -r "$JAR" +%Y-%m-%dT%H:%MZ)), commit $commit$( ((dirty > 0)) && echo " with $dirty uncommitted changes in the modules"), default settings, JVM options \`$HUB_JAVA_OPTS_USED\`.$( [[ -n "${HUB_ARGS:-}${DRIVER_JAVA_OPTS:-}" ]] && echo " Environment: HUB_ARGS='${HUB_ARGS:-}' DRIVER_JAVA_OPTS='${DRIVER_JAVA_OPTS:-}'.")"
        echo
        echo "Load average (1, 5, 15 min) before the driver: ${LOAD_BEFORE:-?}; after it: $(cut -d' ' -f1-3 /proc/loadavg). Other Maven/surefire processes at the start: ${OTHER_JOBS:-?}."
        echo "\`uptime\` before: \`$(echo "${UPTIME_BEFORE:-?}" | sed 's/^ *//')\`; after: \`$(uptime | sed 's/^ *//')\`."
        echo
        cat "$RUN/report.md"
        echo
        hub_credentials_summary
        echo
        hub_probe_summary
        echo
        hub_log_summary
        echo
        echo "Driver exit status: ${DRIVER_RC:-none, stopped} (0: every phase completed)."
    } >"$RESULT"
}

# ---------------------------------------------------------------- the hub
if [[ "$PRODUCTION" == yes ]]; then
    log "starting PostgreSQL, Kafka and one production hub (deploy/local/topology.sh in $RUN/topology)"
    # shellcheck disable=SC2086
    start_production_hub "$RUN" "$RUN/ocpi-hub.jar" "$KAFKA_JAR" ${HUB_ARGS:-} \
        || die "the topology did not start (logs in $RUN/topology/logs)"
else
    free_port HUB_PORT
    HUB="http://127.0.0.1:$HUB_PORT"
    log "starting the hub on $HUB (embedded PostgreSQL and Kafka in $RUN/hub-data)"
    # shellcheck disable=SC2086
    MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX-2}" java $HUB_JAVA_OPTS_USED -jar "$RUN/ocpi-hub.jar" --server.address=127.0.0.1 --server.port="$HUB_PORT" \
        --hub.data-dir="$RUN/hub-data" --hub.public-url="$HUB" ${HUB_ARGS:-} \
        >"$HUB_LOG" 2>&1 &
    HUB_PID=$!
fi
for ((i = 0; ; i++)); do
    kill -0 "$HUB_PID" 2>/dev/null || { tail -30 "$HUB_LOG" >&2; die "the hub exited"; }
    [[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$HUB/actuator/health/readiness")" == 200 ]] && break
    (( i < 1800 )) || die "the hub was not ready within 180 s"
    sleep 0.1
done
READY_AT=$(date +%s)
log "hub ready (pid $HUB_PID)"

# ---------------------------------------------------------------- the driver
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME_BEFORE=$(uptime)
OTHER_JOBS=$(pgrep -fc 'surefire|maven' || true)
DRIVER_RC=""
# shellcheck disable=SC2086
nice -n "$DRIVER_NICE" java ${DRIVER_JAVA_OPTS:-} -Dlogback.configurationFile="$RUN/logback.xml" \
    -Dloader.main=org.ocpihub.bench.NationalScaleBenchmark -jar "$RUN/hub-bench.jar" \
    --hub-url "$HUB" --admin-token-file "$ADMIN_TOKEN_FILE" --hub-pid "$HUB_PID" \
    --postgres-pid-file "$POSTGRES_PID_FILE" \
    --cpos "$CPOS" --others "$OTHERS" --receivers "$RECEIVERS" --locations "$LOCATIONS" \
    --concurrency "$CONCURRENCY" --phase-timeout "$PHASE_TIMEOUT" --probe-rate "$PROBE_RATE" \
    --warmup-seconds "$WARMUP_SECONDS" --baseline-seconds "$BASELINE_SECONDS" --onboard-concurrency "$ONBOARD_CONCURRENCY" --onboard-rate "$ONBOARD_RATE" --page-limit "$PAGE_LIMIT" \
    --quiet-seconds "$QUIET_SECONDS" --client-info "$CLIENT_INFO" --rss-target-mib "$RSS_TARGET_MIB" \
    --report "$RUN/report.md" >"$RUN/driver.out" 2> >(tee "$RUN/driver.log" >&2) &
DRIVER_PID=$!
DRIVER_RC=0
wait "$DRIVER_PID" || DRIVER_RC=$?
DRIVER_PID=""
[[ -s "$RUN/report.md" ]] || die "the driver wrote no report (exit $DRIVER_RC)"

# ---------------------------------------------------------------- report
write_result ""
echo
cat "$RESULT"
echo
log "written to ${RESULT#"$ROOT"/}"
exit "$DRIVER_RC"
