#!/usr/bin/env bash
# Routing benchmark: the hub forwarding single-Location GETs to a simulated CPO, side by side with nginx doing the
# same header work, with a bare Reactor Netty proxy (bench/driver's BareProxy: the JVM's ceiling), with the same proxy
# through Spring WebFlux's server path (WebFluxProxy: what Spring's exchange and filter chain cost), and with the CPO
# hit directly. One command, everything on 127.0.0.1, everything it starts is
# stopped at the end (also on failure or Ctrl-C). See docs/benchmarks.md.
#
#   bench/routing/run.sh [--no-build] [--profile] [--connections "1 16 64"] [--duration 12] [--warmup 4]
#                        [--message-log on|off|both] [--latency-fraction 0.5] [--latency-seconds 10]
#                        [--registry 1000] [--owner-objects 10000]
#
#   --no-build       use the existing jars (hub-app/target/ocpi-hub.jar, the hub; bench/driver/target/hub-bench.jar,
#                    the stub CPO) instead of running ./mvnw -DskipTests package
#   --profile        after the measurements, load the hub once more at the highest concurrency for
#                    --profile-seconds with a JFR recording (jcmd JFR.start/stop, settings=profile), and summarise
#                    where its time goes (jfr-summary.sh); the measured figures are not affected
#   --profile-seconds  length of that profiled run (default 30)
#   --connections    wrk connection counts, each run for every target (default "1 16 64")
#   --duration       seconds measured per target and concurrency (default 12)
#   --warmup         seconds of unmeasured load before each measurement (default 4)
#   --hub-warmup     seconds of load on the fresh hub JVM before anything is measured, for the JIT (default 60)
#   --threads        wrk threads (default 2)
#   --locations      Locations the simulated CPO holds; requests cycle through them (default 1000)
#   --message-log    on (default): the hub as configured (message log on); off: the hub with
#                    --hub.message-log.enabled=false; both: a second hub with the log off (target hub-nolog, its own
#                    data dir, stub CPO and eMSP) measured right after the hub at each concurrency, and a table of
#                    hub/hub-nolog (issue 9: the log on must stay within 5 % of the log off)
#   --latency-fraction  after wrk at each concurrency, every target is loaded at a fixed rate of this fraction of
#                    the hub's wrk throughput at that concurrency (the same rate for all targets) by FixedRateLoad,
#                    whose latencies count from when each request was due (corrected for coordinated omission,
#                    wrk2's approach); 0 skips this phase (default 0.3: the JVM load generator spends about 3 ×
#                    wrk's CPU per request, and at 0.5 the 2 cores were saturated and every JVM target queued)
#   --latency-seconds   seconds measured per target in that phase, after 4 s unmeasured (default 10)
#   --registry       N (3 to 1002): two more hubs, each with its own stub CPO and eMSP: hub-big, with N − 2 more
#                    platforms registered through the admin API and the credentials handshake, 100 of them CPOs that
#                    push --owner-objects Locations through it (each one owner index entry), all before the load; and
#                    hub-pushed, the same with 2 more platforms (the same pushes, a small registry). Measured right
#                    after the hub at each concurrency, and a table of hub-big/hub-pushed (issue 12 item 4: within
#                    5 %) and hub-pushed/hub (what a history of pushes costs GETs). 0, the default: neither
#   --owner-objects  Locations the hub-big CPOs push (default 10000)
#
# Environment: HUB_JAVA_OPTS (the hub's JVM options; unset: -Xmx384m, as the README's run command; set it empty for
# the JVM's defaults), STUB_JAVA_OPTS (extra JVM options of the stub, the bare proxy and the load generator), HUB_ARGS (extra hub arguments, e.g.
# "--logging.level.ocpihub.requests=WARN" to try a configuration), MALLOC_ARENA_MAX (the hub's; unset: 2, as the
# README's run command), BENCH_KEEP=1 (keep the temporary run folder).
# Output: a table on stdout and in bench/routing/results/<UTC date and time>.md.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAR="$ROOT/hub-app/target/ocpi-hub.jar"             # the hub: the embedded default, as the README runs it
BENCH_JAR="$ROOT/bench/driver/target/hub-bench.jar"  # the stub CPO: hub-testkit's SimulatedPlatformLauncher

BUILD=1
PROFILE=0
PROFILE_SECONDS=30
HUB_WARMUP=60
CONNECTIONS="1 16 64"
DURATION=12
WARMUP=4
THREADS=2
LOCATIONS=1000
MESSAGE_LOG=on
LATENCY_FRACTION=0.3
LATENCY_SECONDS=10
REGISTRY=0
OWNER_OBJECTS=10000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        --profile) PROFILE=1 ;;
        --profile-seconds) PROFILE_SECONDS="$2"; shift ;;
        --hub-warmup) HUB_WARMUP="$2"; shift ;;
        --connections) CONNECTIONS="$2"; shift ;;
        --duration) DURATION="$2"; shift ;;
        --warmup) WARMUP="$2"; shift ;;
        --threads) THREADS="$2"; shift ;;
        --locations) LOCATIONS="$2"; shift ;;
        --message-log) MESSAGE_LOG="$2"; shift ;;
        --latency-fraction) LATENCY_FRACTION="$2"; shift ;;
        --latency-seconds) LATENCY_SECONDS="$2"; shift ;;
        --registry) REGISTRY="$2"; shift ;;
        --owner-objects) OWNER_OBJECTS="$2"; shift ;;
        -h|--help) sed -n '2,46p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[[ "$LATENCY_FRACTION" =~ ^(0|0?\.[0-9]+|1(\.0*)?)$ ]] || { echo "--latency-fraction is between 0 and 1, not: $LATENCY_FRACTION" >&2; exit 2; }
for n in $CONNECTIONS $DURATION $WARMUP $THREADS $LOCATIONS $PROFILE_SECONDS $HUB_WARMUP $LATENCY_SECONDS; do
    [[ "$n" =~ ^[0-9]+$ && "$n" -gt 0 ]] || { echo "not a positive number: $n" >&2; exit 2; }
done
(( LOCATIONS <= 9999 )) || { echo "--locations at most 9999 (ids LOC0001..LOC9999)" >&2; exit 2; }
[[ "$REGISTRY" =~ ^[0-9]+$ ]] && (( REGISTRY == 0 || (REGISTRY >= 3 && REGISTRY <= 1002) )) || { echo "--registry is 0 (off) or 3 to 1002 platforms, not: $REGISTRY" >&2; exit 2; }
[[ "$OWNER_OBJECTS" =~ ^[1-9][0-9]{0,4}$ ]] || { echo "--owner-objects is a number from 1 to 99999, not: $OWNER_OBJECTS" >&2; exit 2; }
[[ "$MESSAGE_LOG" =~ ^(on|off|both)$ ]] || { echo "--message-log is on, off or both, not: $MESSAGE_LOG" >&2; exit 2; }

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------- tools
need_packages=()
command -v wrk >/dev/null || need_packages+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need_packages+=(nginx)
command -v jq >/dev/null || need_packages+=(jq)
command -v curl >/dev/null || need_packages+=(curl)
if (( ${#need_packages[@]} )); then
    log "installing ${need_packages[*]} (Debian packages)"
    SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v java >/dev/null || die "java not found"
if (( PROFILE )); then command -v jcmd >/dev/null && command -v jfr >/dev/null || die "--profile needs jcmd and jfr"; fi

if (( BUILD )); then
    log "building (./mvnw -B -q -DskipTests package)"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package) || die "build failed"
fi
[[ -f "$JAR" ]] || die "$JAR missing (build it, or drop --no-build)"
[[ -f "$BENCH_JAR" ]] || die "$BENCH_JAR missing (build it, or drop --no-build)"

# ---------------------------------------------------------------- run folder, clean-up
RUN=$(mktemp -d /tmp/ocpihub-bench.XXXXXX)
chmod 755 "$RUN"   # nginx workers (nobody) write their temp files under it
PIDS=()            # processes this script started, stopped in reverse order
WRK_PID=""
HUB_PID=""
SAMPLER_PID=""

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
    [[ -n "$WRK_PID" ]] && stop_pid "$WRK_PID" wrk 5
    [[ -n "$SAMPLER_PID" ]] && stop_pid "$SAMPLER_PID" sampler 2
    for ((k = ${#PIDS[@]} - 1; k >= 0; k--)); do
        stop_pid "${PIDS[k]%%:*}" "${PIDS[k]#*:}" 40
    done
    # the hub's embedded PostgreSQL is its child; should the hub have been killed, stop the postmaster by its pid file
    for pidfile in "$RUN"/hub*-data/postgres/postmaster.pid; do
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

USED_PORTS=" "
free_port() { # variable name ← a port nothing listens on, below Linux's default ephemeral range, not used before
    local p
    for _ in $(seq 200); do
        p=$(( (RANDOM % 12000) + 20000 ))
        [[ "$USED_PORTS" == *" $p "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED_PORTS+="$p "; printf -v "$1" %s "$p"; return 0; fi
    done
    die "no free port found"
}

wait_for_line() { # file, key, seconds → prints the value of "key=value"
    local file=$1 key=$2 wait=$3
    for ((i = 0; i < wait * 10; i++)); do
        if grep -q "^$key=" "$file" 2>/dev/null; then grep -m1 "^$key=" "$file" | cut -d= -f2-; return 0; fi
        sleep 0.1
    done
    return 1
}

value_of() { sed -n "s/^$1=//p" "$2" | head -1; } # key, file of key=value lines
metric() { # name [, hub URL, admin token] → the hub's metric summed over its tags (actuator), or "?"
    local out
    out=$(curl -sf -m 5 -H "Authorization: Bearer ${3:-$ADMIN}" "${2:-$HUB}/actuator/metrics/$1") || { echo "?"; return 0; }
    jq -r '.measurements[0].value // "?"' <<<"$out" 2>/dev/null \
        | awk '{ if ($1 ~ /^[0-9.eE+-]+$/) printf "%.0f", $1; else print "?" }' || echo "?"
}
launcher() { # name, args... : a simulated platform from the benchmark jar (hub-testkit is inside it, not in the hub's)
    local name=$1; shift
    bench_main org.ocpihub.testkit.party.SimulatedPlatformLauncher "$name" "$@"
}
bench_main() { # main class, name, args... : a program of the benchmark jar, in the background
    local main=$1 name=$2; shift 2
    # shellcheck disable=SC2086
    java ${STUB_JAVA_OPTS:-} -Dloader.main="$main" -jar "$BENCH_JAR" "$@" >"$RUN/$name.out" 2>"$RUN/$name.err" &
    PIDS+=("$!:$name")
}

# the jars run from copies: a rebuild during the run (the nested-jar class loader reads the file lazily) would
# otherwise make the running JVMs fail to load classes (seen: an event loop of the stub died with NoClassDefFoundError)
cp "$JAR" "$RUN/ocpi-hub.jar"; JAR="$RUN/ocpi-hub.jar"
cp "$BENCH_JAR" "$RUN/hub-bench.jar"; BENCH_JAR="$RUN/hub-bench.jar"

# ---------------------------------------------------------------- the hub
free_port HUB_PORT
HUB="http://127.0.0.1:$HUB_PORT"
log "starting the hub on $HUB (embedded PostgreSQL and Kafka in $RUN/hub-data)"
# shellcheck disable=SC2086
HUB_LOG_ARG=""; [[ "$MESSAGE_LOG" == off ]] && HUB_LOG_ARG="--hub.message-log.enabled=false"
# shellcheck disable=SC2086
MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX-2}" java ${HUB_JAVA_OPTS--Xmx384m} -jar "$JAR" --server.address=127.0.0.1 --server.port="$HUB_PORT" \
    --hub.data-dir="$RUN/hub-data" --hub.public-url="$HUB" $HUB_LOG_ARG ${HUB_ARGS:-} >"$RUN/hub.log" 2>&1 &
HUB_PID=$!
PIDS+=("$HUB_PID:hub")
for ((i = 0; ; i++)); do
    kill -0 "$HUB_PID" 2>/dev/null || { tail -30 "$RUN/hub.log" >&2; die "the hub exited"; }
    [[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$HUB/actuator/health/readiness")" == 200 ]] && break
    (( i < 1800 )) || die "the hub was not ready within 180 s"
    sleep 0.1
done
ADMIN=$(cat "$RUN/hub-data/admin.token")
log "hub ready"

create_platform() { # name, role, country, party [, hub URL, admin token] → prints token A
    local body
    body=$(jq -n --arg n "$1" --arg r "$2" --arg c "$3" --arg p "$4" \
        '{name: $n, roles: [{role: $r, country_code: $c, party_id: $p, business_details: {name: $n}}]}')
    curl -sf -X POST "${5:-$HUB}/admin/api/platforms" -H "Authorization: Bearer ${6:-$ADMIN}" \
        -H 'Content-Type: application/json' -d "$body" | jq -er .token_a
}

CPO_CC=NL; CPO_PARTY=CPX; EMSP_CC=NL; EMSP_PARTY=EMX
CPO_TOKEN_A=$(create_platform bench-cpo CPO "$CPO_CC" "$CPO_PARTY") || die "creating the CPO platform"
EMSP_TOKEN_A=$(create_platform bench-emsp EMSP "$EMSP_CC" "$EMSP_PARTY") || die "creating the eMSP platform"

# ---------------------------------------------------------------- stub CPO and eMSP, registered with the hub
free_port STUB_PORT
STUB="http://127.0.0.1:$STUB_PORT"
log "starting the stub CPO on $STUB ($LOCATIONS Locations) and registering it with the hub"
launcher stub-cpo --port "$STUB_PORT" --locations "$LOCATIONS" --country-code "$CPO_CC" --party-id "$CPO_PARTY" \
    --name bench-cpo --hub-versions-url "$HUB/ocpi/versions" --hub-token-a "$CPO_TOKEN_A"
free_port EMSP_PORT
launcher emsp --role EMSP --port "$EMSP_PORT" --country-code "$EMSP_CC" --party-id "$EMSP_PARTY" \
    --name bench-emsp --hub-versions-url "$HUB/ocpi/versions" --hub-token-a "$EMSP_TOKEN_A"
for who in stub-cpo emsp; do
    registered=$(wait_for_line "$RUN/$who.out" registered 60) || { cat "$RUN/$who.err" >&2; die "$who did not start"; }
    [[ "$registered" == true ]] || die "$who did not register: $registered"
done
# the eMSP calls the hub with the token the hub gave it; the hub (and so nginx, and wrk directly) calls the stub
# with the token the stub gave the hub
EMSP_TOKEN=$(wait_for_line "$RUN/emsp.out" token_for_hub 5)
STUB_TOKEN=$(wait_for_line "$RUN/stub-cpo.out" token_issued_to_hub 5)
EMSP_AUTH="Token $(printf %s "$EMSP_TOKEN" | base64 -w0)"
STUB_AUTH="Token $(printf %s "$STUB_TOKEN" | base64 -w0)"
log "CPO $CPO_CC/$CPO_PARTY and eMSP $EMSP_CC/$EMSP_PARTY registered"

# ---------------------------------------------------------------- second hubs: hub-nolog, hub-big
# Each has its own data dir (embedded PostgreSQL and Kafka), stub CPO and eMSP with the same parties, so it does the
# same work as the hub but for what it is there to show; the hubs are measured one after the other at each concurrency
# (interleaved). hub-nolog (--message-log both): the message log off. hub-big (--registry N): N registered platforms
# and --owner-objects owner index entries, filled by bench/driver's RegistryFill before anything is measured.
declare -A SECOND_URL SECOND_PID SECOND_AUTH SECOND_STUB_PID SECOND_ADMIN
start_second_hub() { # target name, hub arguments...
    local name=$1 port url i who token; shift
    free_port port
    url="http://127.0.0.1:$port"
    log "starting $name on $url"
    # shellcheck disable=SC2086
    MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX-2}" java ${HUB_JAVA_OPTS--Xmx384m} -jar "$JAR" --server.address=127.0.0.1 --server.port="$port" \
        --hub.data-dir="$RUN/$name-data" --hub.public-url="$url" "$@" ${HUB_ARGS:-} >"$RUN/$name.log" 2>&1 &
    SECOND_PID[$name]=$!
    PIDS+=("$!:$name")
    for ((i = 0; ; i++)); do
        kill -0 "${SECOND_PID[$name]}" 2>/dev/null || { tail -30 "$RUN/$name.log" >&2; die "$name exited"; }
        [[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$url/actuator/health/readiness")" == 200 ]] && break
        (( i < 1800 )) || die "$name was not ready within 180 s"
        sleep 0.1
    done
    SECOND_URL[$name]=$url
    SECOND_ADMIN[$name]=$(cat "$RUN/$name-data/admin.token")
    local cpo_a emsp_a stub_port emsp_port
    cpo_a=$(create_platform bench-cpo CPO "$CPO_CC" "$CPO_PARTY" "$url" "${SECOND_ADMIN[$name]}") \
        || die "creating the CPO platform at $name"
    emsp_a=$(create_platform bench-emsp EMSP "$EMSP_CC" "$EMSP_PARTY" "$url" "${SECOND_ADMIN[$name]}") \
        || die "creating the eMSP platform at $name"
    free_port stub_port
    launcher "stub-cpo-$name" --port "$stub_port" --locations "$LOCATIONS" --country-code "$CPO_CC" \
        --party-id "$CPO_PARTY" --name bench-cpo --hub-versions-url "$url/ocpi/versions" --hub-token-a "$cpo_a"
    SECOND_STUB_PID[$name]=${PIDS[-1]%%:*}
    free_port emsp_port
    launcher "emsp-$name" --role EMSP --port "$emsp_port" --country-code "$EMSP_CC" --party-id "$EMSP_PARTY" \
        --name bench-emsp --hub-versions-url "$url/ocpi/versions" --hub-token-a "$emsp_a"
    for who in "stub-cpo-$name" "emsp-$name"; do
        registered=$(wait_for_line "$RUN/$who.out" registered 60) || { cat "$RUN/$who.err" >&2; die "$who did not start"; }
        [[ "$registered" == true ]] || die "$who did not register: $registered"
    done
    token=$(wait_for_line "$RUN/emsp-$name.out" token_for_hub 5)
    SECOND_AUTH[$name]="Token $(printf %s "$token" | base64 -w0)"
    log "$name ready, its CPO and eMSP registered"
}
[[ "$MESSAGE_LOG" == both ]] && start_second_hub hub-nolog --hub.message-log.enabled=false
declare -A FILL_PLATFORMS FILL_OWNERS
fill_hub() { # target name, platforms to add: RegistryFill against that hub, then its Location deliveries awaited
    local name=$1 platforms=$2 cpos i delivered pid
    cpos=$(( platforms < 100 ? platforms : 100 ))
    log "filling $name's registry: $platforms more platforms, $OWNER_OBJECTS Locations pushed by $cpos of them"
    bench_main org.ocpihub.bench.RegistryFill "fill-$name" --hub-url "${SECOND_URL[$name]}" \
        --admin-token-file "$RUN/$name-data/admin.token" --platforms "$platforms" --cpos "$cpos" --objects "$OWNER_OBJECTS"
    pid=${PIDS[-1]%%:*}
    for ((i = 0; ; i++)); do
        grep -q '^filled=' "$RUN/fill-$name.out" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || { tail -30 "$RUN/fill-$name.err" >&2; die "RegistryFill for $name exited"; }
        (( i < 36000 )) || die "RegistryFill for $name did not finish within an hour"
        sleep 0.1
    done
    [[ "$(value_of filled "$RUN/fill-$name.out")" == true ]] || { cat "$RUN/fill-$name.out" "$RUN/fill-$name.err" >&2; die "RegistryFill for $name failed"; }
    FILL_PLATFORMS[$name]=$(curl -sf -H "Authorization: Bearer ${SECOND_ADMIN[$name]}" "${SECOND_URL[$name]}/admin/api/platforms" \
        | jq '[.[] | select(.registered)] | length')
    # the Locations were broadcast to the hub's eMSP: wait until every delivery is done, so none runs while measured
    for ((i = 0; ; i++)); do
        delivered=$(metric "ocpihub.broadcast.deliveries?tag=outcome:DELIVERED&tag=module:locations" "${SECOND_URL[$name]}" "${SECOND_ADMIN[$name]}")
        [[ "$delivered" =~ ^[0-9]+$ ]] && (( delivered >= OWNER_OBJECTS )) && break
        (( i < 6000 )) || die "$name delivered $delivered of $OWNER_OBJECTS Locations to its eMSP within 10 minutes"
        sleep 0.1
    done
    FILL_OWNERS[$name]=$(metric ocpihub.routing.owner.index.objects "${SECOND_URL[$name]}" "${SECOND_ADMIN[$name]}")
    log "$name: ${FILL_PLATFORMS[$name]} registered platforms, ${FILL_OWNERS[$name]} owner index entries in memory, $delivered Locations delivered to its eMSP ($(value_of register_seconds "$RUN/fill-$name.out") s to register, $(value_of push_seconds "$RUN/fill-$name.out") s to push)"
    [[ "${FILL_PLATFORMS[$name]}" =~ ^[0-9]+$ ]] && (( FILL_PLATFORMS[$name] >= platforms + 2 )) \
        || die "$name lists ${FILL_PLATFORMS[$name]} registered platforms, not $((platforms + 2))"
    [[ "${FILL_OWNERS[$name]}" =~ ^[0-9]+$ ]] && (( FILL_OWNERS[$name] >= OWNER_OBJECTS )) \
        || die "$name keeps ${FILL_OWNERS[$name]} owner index entries, not $OWNER_OBJECTS"
}
if (( REGISTRY > 2 )); then
    # hub-pushed: the same history as hub-big (the same Location pushes and deliveries) with 2 more platforms only, so
    # that hub-big/hub-pushed is the registry's size alone; a hub that handled pushes routes GETs more slowly than one
    # that only ever saw GETs (the JIT compiled its paths for both), which hub/hub-pushed shows
    start_second_hub hub-pushed
    fill_hub hub-pushed 2
    start_second_hub hub-big
    fill_hub hub-big $((REGISTRY - 2))
fi

# ---------------------------------------------------------------- nginx, routing by the same headers
free_port NGINX_PORT
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
mkdir -p "$RUN/nginx/tmp"
chmod -R 777 "$RUN/nginx/tmp"
cat >"$RUN/nginx/nginx.conf" <<EOF
# generated by bench/routing/run.sh: the nginx counterpart of the hub's header work for a direct-routed GET
worker_processes $(nproc);
pid $RUN/nginx/nginx.pid;
error_log $RUN/nginx/error.log warn;
events { worker_connections 4096; }
http {
    # the hub writes a log line per request too
    access_log $RUN/nginx/access.log;
    client_body_temp_path $RUN/nginx/tmp/body;
    proxy_temp_path $RUN/nginx/tmp/proxy;
    fastcgi_temp_path $RUN/nginx/tmp/fastcgi;
    uwsgi_temp_path $RUN/nginx/tmp/uwsgi;
    scgi_temp_path $RUN/nginx/tmp/scgi;
    keepalive_requests 1000000;
    map_hash_bucket_size 256;

    # authentication and sender check in one lookup: the caller's token with the from-pair it may use
    map "\$http_authorization|\$http_ocpi_from_country_code:\$http_ocpi_from_party_id" \$ocpi_sender_ok {
        default 0;
        "$EMSP_AUTH|$EMSP_CC:$EMSP_PARTY" 1;
    }
    # the receiver by the to-pair (case-insensitive, like the hub's CiString)
    map "\$http_ocpi_to_country_code:\$http_ocpi_to_party_id" \$ocpi_receiver {
        default "";
        "~*^$CPO_CC:$CPO_PARTY\$" stub_cpo;
    }
    # the receiver's token for the hub's peer
    map \$ocpi_receiver \$ocpi_receiver_auth {
        default "";
        stub_cpo "$STUB_AUTH";
    }
    # the requester's X-Request-ID goes back to it; the receiver gets a new one
    map \$http_x_request_id \$ocpi_requester_id {
        "" \$request_id;
        default \$http_x_request_id;
    }
    upstream stub_cpo {
        server 127.0.0.1:$STUB_PORT;
        keepalive 256;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        default_type application/json;
        location /ocpi/2.2.1/ {
            if (\$ocpi_sender_ok = 0) {
                return 401 '{"status_code":2000,"status_message":"Unauthorized"}';
            }
            if (\$ocpi_receiver = "") {
                return 200 '{"status_code":4001,"status_message":"Unknown receiver"}';
            }
            proxy_pass http://\$ocpi_receiver;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Authorization \$ocpi_receiver_auth;
            proxy_set_header X-Request-ID \$request_id;
            proxy_hide_header X-Request-ID;
            add_header X-Request-ID \$ocpi_requester_id always;
        }
    }
}
EOF
"$NGINX" -t -q -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -e "$RUN/nginx/error.log" \
    || die "nginx configuration invalid ($RUN/nginx/nginx.conf)"
"$NGINX" -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -e "$RUN/nginx/error.log" -g 'daemon off;' \
    >"$RUN/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID:nginx")
for ((i = 0; i < 100; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$NGINX_PORT") 2>/dev/null && break
    sleep 0.1
done
log "nginx on $NGINX_URL"

# ---------------------------------------------------------------- the JVM proxies: bare (the JVM's ceiling), and the
# same proxy through Spring WebFlux's server path
start_proxy() { # name, main class, description → sets <NAME>_URL and <NAME>_PID (NAME upper-cased)
    local name=$1 main=$2 what=$3 port var
    var=${name^^}
    free_port port
    bench_main "$main" "$name" --port "$port" --route "$CPO_PARTY=$STUB" --authorization "$STUB_AUTH"
    printf -v "${var}_PID" %s "${PIDS[-1]%%:*}"
    printf -v "${var}_URL" %s "http://127.0.0.1:$port"
    wait_for_line "$RUN/$name.out" port 30 >/dev/null || { cat "$RUN/$name.err" >&2; die "the $what did not start"; }
    log "$what on http://127.0.0.1:$port"
}
start_proxy bare org.ocpihub.bench.BareProxy "bare Reactor Netty proxy"
start_proxy webflux org.ocpihub.bench.WebFluxProxy "WebFlux proxy"

# ---------------------------------------------------------------- targets
TARGETS=(direct nginx bare webflux hub)
[[ "$MESSAGE_LOG" == both ]] && TARGETS+=(hub-nolog)
(( REGISTRY > 2 )) && TARGETS+=(hub-pushed hub-big)
url_of() {
    case $1 in
        direct) echo "$STUB" ;; nginx) echo "$NGINX_URL" ;; bare) echo "$BARE_URL" ;; webflux) echo "$WEBFLUX_URL" ;;
        hub) echo "$HUB" ;;
        *) echo "${SECOND_URL[$1]}" ;;
    esac
}
auth_of() { case $1 in direct) echo "$STUB_AUTH" ;; hub-*) echo "${SECOND_AUTH[$1]}" ;; *) echo "$EMSP_AUTH" ;; esac; }
pids_of() { # the processes doing the target's work: the hub JVM, or nginx's master and workers
    case $1 in
        hub) echo "$HUB_PID" ;;
        hub-*) echo "${SECOND_PID[$1]}" ;;
        bare) echo "$BARE_PID" ;;
        webflux) echo "$WEBFLUX_PID" ;;
        nginx) echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" ;;
        *) echo "" ;;
    esac
}
STUB_PID=""
for p in "${PIDS[@]}"; do if [[ ${p#*:} == stub-cpo ]]; then STUB_PID=${p%%:*}; fi; done
stub_pid_of() { [[ $1 == hub-?* ]] && echo "${SECOND_STUB_PID[$1]}" || echo "$STUB_PID"; }
CLK_TCK=$(getconf CLK_TCK)
machine_busy_ticks() { # all cores, everything but idle and iowait
    awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}
children_ticks() { # user+system of this shell's waited-for children (wrk), from `times` run in this very shell
    { times; } >"$RUN/times.txt"
    awk -v hz="$CLK_TCK" 'NR == 2 {
        split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.0f", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * hz }' \
        "$RUN/times.txt"
}
cpu_ticks() { # sum of user+system ticks of the given pids
    local total=0 pid stat
    for pid in "$@"; do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        # shellcheck disable=SC2086
        set -- $stat
        total=$(( total + ${12} + ${13} ))
    done
    echo "$total"
}

# one sample request, checked fully: HTTP 200, OCPI 1000, the asked Location in data, routing headers answered
check_one() { # target, location id → prints "ok" or what was wrong
    local target=$1 id=$2 out status
    out=$(curl -s -m 10 -D "$RUN/check.headers" -w '\n%{http_code}' "$(url_of "$target")/ocpi/2.2.1/locations/sender/$id" \
        -H "Authorization: $(auth_of "$target")" -H "X-Request-ID: check-$id" -H "X-Correlation-ID: check-$id" \
        -H "OCPI-from-country-code: $EMSP_CC" -H "OCPI-from-party-id: $EMSP_PARTY" \
        -H "OCPI-to-country-code: $CPO_CC" -H "OCPI-to-party-id: $CPO_PARTY") || { echo "no answer"; return; }
    status=${out##*$'\n'}
    out=${out%$'\n'*}
    if [[ "$status" != 200 ]]; then echo "HTTP $status: ${out:0:200}"; return; fi
    if ! jq -e --arg id "$id" '.status_code == 1000 and .data.id == $id' <<<"$out" >/dev/null 2>&1; then
        echo "unexpected body: ${out:0:200}"; return
    fi
    if ! grep -qi "^X-Request-ID: check-$id" "$RUN/check.headers"; then echo "X-Request-ID not echoed"; return; fi
    echo ok
}
check_sample() { # target, how many → prints "ok/total" and logs the failures
    local target=$1 n=$2 good=0 id result
    for ((s = 0; s < n; s++)); do
        id=$(printf 'LOC%04d' $(( (RANDOM % LOCATIONS) + 1 )))
        result=$(check_one "$target" "$id")
        if [[ "$result" == ok ]]; then good=$((good + 1)); else log "check $target $id: $result"; fi
    done
    echo "$good/$n"
}

log "checking a sample of answers before the load"
for t in "${TARGETS[@]}"; do
    r=$(check_sample "$t" 5)
    [[ "$r" == 5/5 ]] || die "$t answers wrongly before any load ($r); see above"
done
# an unknown caller token and an unknown receiver must not be answered with a Location
bad_token=$(curl -s -o /dev/null -w '%{http_code}' "$HUB/ocpi/2.2.1/locations/sender/LOC0001" \
    -H "Authorization: Token $(printf nope | base64)" -H "OCPI-from-country-code: $EMSP_CC" \
    -H "OCPI-from-party-id: $EMSP_PARTY" -H "OCPI-to-country-code: $CPO_CC" -H "OCPI-to-party-id: $CPO_PARTY")
[[ "$bad_token" == 401 ]] || die "the hub answered HTTP $bad_token to an unknown token"

run_fixed() { # connections, rate, output file: FixedRateLoad against every target in turn, one warm JVM
    local c=$1 rate=$2 out=$3 targets=() t
    for t in "${TARGETS[@]}"; do targets+=(--target "$t|$(url_of "$t")|$(auth_of "$t")"); done
    # shellcheck disable=SC2086
    java ${STUB_JAVA_OPTS:-} -Dloader.main=org.ocpihub.bench.FixedRateLoad -jar "$BENCH_JAR" "${targets[@]}" \
        --path "/ocpi/2.2.1/locations/sender/LOC" --locations "$LOCATIONS" --rate "$rate" \
        --seconds "$LATENCY_SECONDS" --warmup-seconds 4 --jit-warmup-seconds 15 --connections "$c" \
        --header "Accept: application/json" \
        --header "OCPI-from-country-code: $EMSP_CC" --header "OCPI-from-party-id: $EMSP_PARTY" \
        --header "OCPI-to-country-code: $CPO_CC" --header "OCPI-to-party-id: $CPO_PARTY" >"$out" 2>"$out.err" &
    WRK_PID=$!
    wait "$WRK_PID" || { WRK_PID=""; cat "$out" "$out.err" >&2; die "FixedRateLoad failed"; }
    WRK_PID=""
}

run_wrk() { # target, connections, seconds, output file
    local target=$1 c=$2 secs=$3 out=$4 threads=$(( THREADS < $2 ? THREADS : $2 ))
    wrk -t"$threads" -c"$c" -d"${secs}s" --timeout 10s --latency -s "$HERE/locations.lua" "$(url_of "$target")" \
        -- "$(auth_of "$target")" "$EMSP_CC" "$EMSP_PARTY" "$CPO_CC" "$CPO_PARTY" "$LOCATIONS" >"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || { WRK_PID=""; cat "$out" >&2; die "wrk failed against $target"; }
    WRK_PID=""
}

to_ms() { # wrk latency like 812.00us, 1.23ms, 1.01s → milliseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n = n * 60000; else if (v ~ /s$/) n = n * 1000
        printf "%.2f", n }'
}

# first load: JIT of the stub, nginx's connections, and the hub's JIT (a longer one: it is a fresh JVM)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "warming up: stub 10 s, nginx 5 s, hub ${HUB_WARMUP} s (a fresh JVM reaches its speed only after C2 compiled the hot paths)"
run_wrk direct 16 10 "$RUN/warmup-direct.txt"
run_wrk nginx 16 5 "$RUN/warmup-nginx.txt"
run_wrk bare 16 20 "$RUN/warmup-bare.txt"
run_wrk webflux 16 20 "$RUN/warmup-webflux.txt"
run_wrk hub 16 "$HUB_WARMUP" "$RUN/warmup-hub.txt"
[[ "$MESSAGE_LOG" == both ]] && run_wrk hub-nolog 16 "$HUB_WARMUP" "$RUN/warmup-hub-nolog.txt"
if (( REGISTRY > 2 )); then
    run_wrk hub-pushed 16 "$HUB_WARMUP" "$RUN/warmup-hub-pushed.txt"
    run_wrk hub-big 16 "$HUB_WARMUP" "$RUN/warmup-hub-big.txt"
fi
HUB_ERRORS_BEFORE=$(grep -c ' ERROR ' "$RUN/hub.log" || true)

MAX_C=0; for c in $CONNECTIONS; do (( c > MAX_C )) && MAX_C=$c; done
declare -A RPS P50 P99 NON2XX BAD SOCKERR CPU_US STUB_US WRK_US SAMPLE BUSY OTHER ALLOC_KB
declare -A LRATE LDONE LP50 LP99 LP999 LMAX LBAD
for c in $CONNECTIONS; do
    for t in "${TARGETS[@]}"; do
        log "$t, $c connections: ${WARMUP}s warm-up, ${DURATION}s measured"
        run_wrk "$t" "$c" "$WARMUP" "$RUN/warm-$t-$c.txt"
        pids=$(pids_of "$t")
        # shellcheck disable=SC2086
        stub_pid=$(stub_pid_of "$t")
        before=$(cpu_ticks $pids); stub_before=$(cpu_ticks "$stub_pid")
        children_ticks >"$RUN/ticks.txt"; wrk_before=$(<"$RUN/ticks.txt")
        [[ $t == hub ]] && alloc_before=$(metric jvm.gc.memory.allocated)
        busy_before=$(machine_busy_ticks); started=$(date +%s.%N)
        ( sleep $(( DURATION / 2 )); check_sample "$t" 10 >"$RUN/sample-$t-$c.txt" ) &
        SAMPLER_PID=$!
        run_wrk "$t" "$c" "$DURATION" "$RUN/wrk-$t-$c.txt"
        # shellcheck disable=SC2086
        after=$(cpu_ticks $pids); stub_after=$(cpu_ticks "$stub_pid")
        busy_after=$(machine_busy_ticks); ended=$(date +%s.%N)
        [[ $t == hub ]] && alloc_after=$(metric jvm.gc.memory.allocated)
        children_ticks >"$RUN/ticks.txt"; wrk_after=$(<"$RUN/ticks.txt")
        wait "$SAMPLER_PID" || true
        SAMPLER_PID=""
        f="$RUN/wrk-$t-$c.txt"
        k="$t,$c"
        RPS[$k]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$f")
        P50[$k]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")
        P99[$k]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
        NON2XX[$k]=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f"); NON2XX[$k]=${NON2XX[$k]:-0}
        SOCKERR[$k]=$(awk -F'Socket errors: ' 'NF > 1 {print $2}' "$f"); SOCKERR[$k]=${SOCKERR[$k]:-none}
        BAD[$k]=$(sed -n 's/^checked ok=[0-9]* bad=\([0-9]*\).*/\1/p' "$f")
        requests=$(awk '/requests in/ {print $1}' "$f")
        SAMPLE[$k]=$(cat "$RUN/sample-$t-$c.txt" 2>/dev/null || echo "?")
        if [[ -n "$pids" && "$requests" -gt 0 ]]; then
            CPU_US[$k]=$(awk -v d=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN {printf "%.0f", d / hz * 1e6 / n}')
        else
            CPU_US[$k]="–"
        fi
        STUB_US[$k]=$(awk -v d=$((stub_after - stub_before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN {printf "%.0f", d / hz * 1e6 / n}')
        # how busy the machine was, and how much of it was neither the target, the stub nor wrk (other work
        # on the machine disturbs the figures)
        read -r BUSY[$k] OTHER[$k] < <(awk -v b=$((busy_after - busy_before)) -v p=$((after - before)) \
            -v s=$((stub_after - stub_before)) -v w=$((wrk_after - wrk_before)) -v hz="$CLK_TCK" \
            -v secs="$(awk -v a="$started" -v b="$ended" 'BEGIN {print b - a}')" -v cores="$(nproc)" \
            'BEGIN { cap = secs * hz * cores; o = b - p - s - w; if (o < 0) o = 0
                     printf "%.0f %.0f\n", 100 * b / cap, 100 * o / cap }')
        ALLOC_KB[$k]="–"
        if [[ $t == hub && "$alloc_before" != "?" && "$alloc_after" != "?" && "$requests" -gt 0 ]]; then
            ALLOC_KB[$k]=$(awk -v d=$((alloc_after - alloc_before)) -v n="$requests" 'BEGIN {printf "%.1f", d / n / 1024}')
        fi
        WRK_US[$k]=$(awk -v d=$((wrk_after - wrk_before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN {printf "%.0f", d / hz * 1e6 / n}')
        log "  ${RPS[$k]} req/s, p50 ${P50[$k]} ms, p99 ${P99[$k]} ms, non-2xx ${NON2XX[$k]}, bad bodies ${BAD[$k]}, sample ${SAMPLE[$k]}"
    done
    # the same fixed rate for every target: a fraction of what the hub reached with wrk at this concurrency
    if awk -v f="$LATENCY_FRACTION" 'BEGIN { exit !(f > 0) }'; then
        rate=$(awk -v r="${RPS[hub,$c]}" -v f="$LATENCY_FRACTION" 'BEGIN {r = r * f; printf "%.0f", (r < 1 ? 1 : r)}')
        log "all targets, $c connections: $rate req/s fixed rate, ${LATENCY_SECONDS}s measured each (latency from each request's due time)"
        f="$RUN/fixed-$c.txt"
        run_fixed "$c" "$rate" "$f"
        for t in "${TARGETS[@]}"; do
            k="$t,$c"
            LRATE[$k]=$rate; LDONE[$k]=$(value_of "$t.rate" "$f"); LP50[$k]=$(value_of "$t.p50_ms" "$f")
            LP99[$k]=$(value_of "$t.p99_ms" "$f"); LP999[$k]=$(value_of "$t.p999_ms" "$f"); LMAX[$k]=$(value_of "$t.max_ms" "$f")
            LBAD[$k]=$(( $(value_of "$t.bad" "$f") + $(value_of "$t.errors" "$f") + $(value_of "$t.unfinished" "$f") ))
            log "  $t: p50 ${LP50[$k]} ms, p99 ${LP99[$k]} ms, p99.9 ${LP999[$k]} ms, max ${LMAX[$k]} ms, bad or failed ${LBAD[$k]}"
        done
    fi
done
HUB_RSS_PEAK=$(awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$HUB_PID/status")
HUB_RSS_NOW=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$HUB_PID/status")
BARE_RSS_PEAK=$(awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$BARE_PID/status")

log "checking a sample of answers after the load"
AFTER_CHECK=""
for t in "${TARGETS[@]}"; do AFTER_CHECK+="$t $(check_sample "$t" 5), "; done
AFTER_CHECK=${AFTER_CHECK%, }
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
HUB_ERRORS=$(( $(grep -c ' ERROR ' "$RUN/hub.log" || true) - HUB_ERRORS_BEFORE ))
# what the hub's message log wrote and dropped (a log that drops rows would flatter the "log on" figures)
LOG_WRITTEN=$(metric ocpihub.messagelog.written)
LOG_DROPPED=$(metric ocpihub.messagelog.dropped)

if (( PROFILE )); then
    log "profiling the hub: ${PROFILE_SECONDS}s at $MAX_C connections with JFR"
    jcmd "$HUB_PID" JFR.start name=bench settings=profile >/dev/null
    run_wrk hub "$MAX_C" "$PROFILE_SECONDS" "$RUN/wrk-profile.txt"
    jcmd "$HUB_PID" JFR.stop name=bench filename="$RUN/hub.jfr" >/dev/null
fi

# ---------------------------------------------------------------- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "–" }'; }
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
RESULT="$HERE/results/$STAMP.md"
mkdir -p "$HERE/results"
{
    echo "# Routing benchmark, $STAMP"
    echo
    echo "Command: \`bench/routing/run.sh --connections \"$CONNECTIONS\" --duration $DURATION --warmup $WARMUP --hub-warmup $HUB_WARMUP --threads $THREADS --locations $LOCATIONS --message-log $MESSAGE_LOG$( ((REGISTRY > 2)) && echo " --registry $REGISTRY --owner-objects $OWNER_OBJECTS") --latency-fraction $LATENCY_FRACTION --latency-seconds $LATENCY_SECONDS$( ((PROFILE)) && echo " --profile --profile-seconds $PROFILE_SECONDS")\`"
    echo
    echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $(java -version 2>&1 | head -1); $("$NGINX" -v 2>&1 | sed 's/.*: //'); $( (wrk -v 2>&1 || true) | head -1 | awk '{print "wrk " $2}'). Everything (wrk, hub, nginx, stub CPO) shares the machine."
    echo
    [[ -z "${HUB_JAVA_OPTS:-}${HUB_ARGS:-}${STUB_JAVA_OPTS:-}" ]] || { echo "Environment: HUB_JAVA_OPTS='${HUB_JAVA_OPTS:-}' HUB_ARGS='${HUB_ARGS:-}' STUB_JAVA_OPTS='${STUB_JAVA_OPTS:-}'"; echo; }
    echo "Load average (1, 5, 15 min) before the warm-up: $LOAD_BEFORE; after the measurements: $LOAD_AFTER."
    echo
    echo "wrk: $THREADS threads (at most one per connection), ${DURATION} s measured after ${WARMUP} s unmeasured (the hub had ${HUB_WARMUP} s of load first), \`GET /ocpi/2.2.1/locations/sender/LOCnnnn\` over $LOCATIONS Locations, every answer checked for HTTP 200 + \`\"status_code\":1000\`."
    echo
    echo "| connections | target | req/s | p50 ms | p99 ms | non-2xx | bad answers | socket errors | proxy CPU µs/req | stub CPU µs/req | wrk CPU µs/req | hub alloc kB/req | machine busy % | others % | sample checked |"
    echo "|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    for c in $CONNECTIONS; do
        for t in "${TARGETS[@]}"; do
            k="$t,$c"
            echo "| $c | $t | ${RPS[$k]} | ${P50[$k]} | ${P99[$k]} | ${NON2XX[$k]} | ${BAD[$k]} | ${SOCKERR[$k]} | ${CPU_US[$k]} | ${STUB_US[$k]} | ${WRK_US[$k]} | ${ALLOC_KB[$k]:-–} | ${BUSY[$k]} | ${OTHER[$k]} | ${SAMPLE[$k]} |"
        done
    done
    echo
    echo "Throughput (issue 12 item 1: hub ≥ 0.9 × bare at every concurrency, hub ≥ 0.8 × nginx at 64):"
    echo
    echo "| connections | hub/bare req/s | hub/nginx req/s | bare/nginx req/s | hub/direct req/s | hub CPU / bare CPU per req | verdict |"
    echo "|---:|---:|---:|---:|---:|---:|---|"
    for c in $CONNECTIONS; do
        hb=$(ratio "${RPS[hub,$c]}" "${RPS[bare,$c]}")
        hn=$(ratio "${RPS[hub,$c]}" "${RPS[nginx,$c]}")
        verdict=$(awk -v b="$hb" -v n="$hn" -v c="$c" 'BEGIN { ok = b + 0 >= 0.9 && (c < 64 || n + 0 >= 0.8)
            print (ok ? "met" : "**not met**") }')
        echo "| $c | $hb | $hn | $(ratio "${RPS[bare,$c]}" "${RPS[nginx,$c]}") | $(ratio "${RPS[hub,$c]}" "${RPS[direct,$c]}") | $(ratio "${CPU_US[hub,$c]}" "${CPU_US[bare,$c]}") | $verdict |"
    done
    echo
    echo "Where the hub's CPU per request goes: \`bare\` is the JVM's ceiling, \`webflux\` the same proxy through Spring WebFlux's server path (exchange, a chain of 4 pass-through WebFilters and the proxying one, writeWith), so webflux − bare is what Spring's server path costs and hub − webflux is the hub's own work (firewall, authentication, the routing pipeline's checks, metrics, request log line, message log)."
    echo
    echo "| connections | bare CPU µs/req | webflux − bare | hub − webflux | hub/webflux req/s |"
    echo "|---:|---:|---:|---:|---:|"
    for c in $CONNECTIONS; do
        echo "| $c | ${CPU_US[bare,$c]} | $(awk -v a="${CPU_US[webflux,$c]}" -v b="${CPU_US[bare,$c]}" 'BEGIN {printf "%.0f", a - b}') | $(awk -v a="${CPU_US[hub,$c]}" -v b="${CPU_US[webflux,$c]}" 'BEGIN {printf "%.0f", a - b}') | $(ratio "${RPS[hub,$c]}" "${RPS[webflux,$c]}") |"
    done
    if awk -v f="$LATENCY_FRACTION" 'BEGIN { exit !(f > 0) }'; then
        echo
        echo "Latency at a fixed rate ($LATENCY_FRACTION × the hub's wrk throughput at each concurrency, the same rate for every target; FixedRateLoad, one JVM per concurrency warmed 15 s, then per target ${LATENCY_SECONDS} s measured after 4 s; each latency counts from the request's due time, so a stall shows in every request due during it: corrected for coordinated omission). Issue 12 item 2: hub p99 ≤ 2 × nginx p99."
        echo
        echo "| connections | target | rate asked /s | rate done /s | p50 ms | p99 ms | p99.9 ms | max ms | bad or failed |"
        echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
        for c in $CONNECTIONS; do
            for t in "${TARGETS[@]}"; do
                k="$t,$c"
                echo "| $c | $t | ${LRATE[$k]} | ${LDONE[$k]} | ${LP50[$k]} | ${LP99[$k]} | ${LP999[$k]} | ${LMAX[$k]} | ${LBAD[$k]} |"
            done
        done
        echo
        echo "| connections | hub p99 / nginx p99 | hub p99 / bare p99 | verdict (≤ 2) |"
        echo "|---:|---:|---:|---|"
        for c in $CONNECTIONS; do
            hp=$(ratio "${LP99[hub,$c]}" "${LP99[nginx,$c]}")
            # met only with figures behind it: every request answered well, and a ratio (not "–" or nan)
            verdict=$(awk -v r="$hp" -v bad="${LBAD[hub,$c]}" 'BEGIN {
                print (r ~ /^[0-9.]+$/ && r + 0 <= 2 && bad == 0 ? "met" : "**not met**") }')
            echo "| $c | $hp | $(ratio "${LP99[hub,$c]}" "${LP99[bare,$c]}") | $verdict |"
        done
    fi
    echo
    echo "Memory: hub RSS peak (VmHWM) ${HUB_RSS_PEAK} MiB, at the end ${HUB_RSS_NOW} MiB, JVM options \`${HUB_JAVA_OPTS--Xmx384m}\` (issue 12 item 3: embedded default ≤ 768 MiB); bare proxy RSS peak ${BARE_RSS_PEAK} MiB."
    if [[ "$MESSAGE_LOG" == both ]]; then
        echo
        echo "Message log (issue 9): \`hub\` with the log on, \`hub-nolog\` with \`--hub.message-log.enabled=false\`, measured one after the other at each concurrency."
        echo
        echo "| connections | hub/hub-nolog req/s | hub p50 − hub-nolog p50 ms | hub p99 − hub-nolog p99 ms | hub − hub-nolog CPU µs/req | target log on ≥ 0.95 × log off |"
        echo "|---:|---:|---:|---:|---:|---|"
        for c in $CONNECTIONS; do
            hl=$(ratio "${RPS[hub,$c]}" "${RPS[hub-nolog,$c]}")
            verdict=$(awk -v r="$hl" 'BEGIN { print (r + 0 >= 0.95 ? "met" : "**not met**") }')
            echo "| $c | $hl | $(awk -v a="${P50[hub,$c]}" -v b="${P50[hub-nolog,$c]}" 'BEGIN {printf "%.2f", a - b}') | $(awk -v a="${P99[hub,$c]}" -v b="${P99[hub-nolog,$c]}" 'BEGIN {printf "%.2f", a - b}') | $(awk -v a="${CPU_US[hub,$c]}" -v b="${CPU_US[hub-nolog,$c]}" 'BEGIN {printf "%.0f", a - b}') | $verdict |"
        done
    fi
    if (( REGISTRY > 2 )); then
        echo
        echo "Registry scale (issue 12 item 4), measured one after the other at each concurrency: \`hub-big\` with ${FILL_PLATFORMS[hub-big]} registered platforms and ${FILL_OWNERS[hub-big]} owner index entries in memory, \`hub-pushed\` with ${FILL_PLATFORMS[hub-pushed]} platforms and the same history (${FILL_OWNERS[hub-pushed]} owner index entries; in both, $OWNER_OBJECTS Locations pushed by the added CPOs and delivered to the hub's eMSP before the load), \`hub\` with its 2 platforms and no pushes. hub-big/hub-pushed is what the registry's size costs; hub-pushed/hub what a hub's history of pushes costs its GETs (type profiles the JIT compiled for pushes too). RegistryFill registered $((REGISTRY - 2)) platforms in $(value_of register_seconds "$RUN/fill-hub-big.out") s and pushed in $(value_of push_seconds "$RUN/fill-hub-big.out") s."
        echo
        echo "| connections | hub-big/hub-pushed req/s | hub-big − hub-pushed CPU µs/req | hub-big − hub-pushed p99 ms | hub-pushed/hub req/s | hub-pushed − hub CPU µs/req | hub-big/hub req/s | target hub-big ≥ 0.95 × hub-pushed |"
        echo "|---:|---:|---:|---:|---:|---:|---:|---|"
        for c in $CONNECTIONS; do
            hb=$(ratio "${RPS[hub-big,$c]}" "${RPS[hub-pushed,$c]}")
            verdict=$(awk -v r="$hb" 'BEGIN { print (r + 0 >= 0.95 ? "met" : "**not met**") }')
            echo "| $c | $hb | $(awk -v a="${CPU_US[hub-big,$c]}" -v b="${CPU_US[hub-pushed,$c]}" 'BEGIN {printf "%.0f", a - b}') | $(awk -v a="${P99[hub-big,$c]}" -v b="${P99[hub-pushed,$c]}" 'BEGIN {printf "%.2f", a - b}') | $(ratio "${RPS[hub-pushed,$c]}" "${RPS[hub,$c]}") | $(awk -v a="${CPU_US[hub-pushed,$c]}" -v b="${CPU_US[hub,$c]}" 'BEGIN {printf "%.0f", a - b}') | $(ratio "${RPS[hub-big,$c]}" "${RPS[hub,$c]}") | $verdict |"
        done
    fi
    if [[ "$MESSAGE_LOG" != off ]]; then
        echo
        echo "Message log of \`hub\` over the whole run: $LOG_WRITTEN rows written, $LOG_DROPPED dropped (\`ocpihub.messagelog.written\`, \`ocpihub.messagelog.dropped\`)."
    fi
    echo
    echo "Samples checked in full (HTTP 200, status_code 1000, the asked Location id, X-Request-ID echoed) after the load: $AFTER_CHECK."
    echo "ERROR lines in the hub's log during the measurements: $HUB_ERRORS (see docs/benchmarks.md on aborted forwards when wrk closes its connections)."
    echo "\"proxy CPU\" is the user+system CPU of the hub JVM, the bare proxy's JVM, or of nginx's master and workers, over the measured seconds divided by the requests; \"stub CPU\" and \"wrk CPU\" the same for the stub CPO's JVM and for wrk. \"hub alloc\" is the growth of the hub's \`jvm.gc.memory.allocated\` (young-generation allocation, counted at each collection) over the measured seconds divided by the requests. \"machine busy\" is the share of all $(nproc) cores in use during the measurement, \"others\" the share used by anything but the target, the stub and wrk (the hub's embedded PostgreSQL, other jobs on the machine): high values there mean the figures were disturbed."
} >"$RESULT"

if (( PROFILE )) && [[ -f "$RUN/hub.jfr" ]]; then
    cp "$RUN/hub.jfr" "$HERE/results/$STAMP-hub.jfr"
    "$HERE/jfr-summary.sh" "$HERE/results/$STAMP-hub.jfr" >"$HERE/results/$STAMP-profile.md" \
        || log "profile summary failed; the recording is in results/$STAMP-hub.jfr"
    echo >>"$RESULT"
    echo "Profile of the hub, ${PROFILE_SECONDS} s at $MAX_C connections ($(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$RUN/wrk-profile.txt") req/s while recording): [$STAMP-profile.md]($STAMP-profile.md) (recording: $STAMP-hub.jfr, git-ignored)." >>"$RESULT"
fi

echo
cat "$RESULT"
echo
log "written to ${RESULT#"$ROOT"/}"
