#!/usr/bin/env bash
# A quick A/B of one routing change (about 90 s per label): a fresh hub (embedded, -Xmx384m, MALLOC_ARENA_MAX=2; or
# with --production the production jar, -Xmx192m),
# a simulated CPO and eMSP registered with it, wrk at 16 connections for --warmup seconds, then --seconds measured;
# prints req/s and the hub's and the stub's CPU per routed GET. No nginx, no bare proxy, no latency phase: for those,
# and for figures to record, run bench/routing/run.sh. Use it to keep or drop a lever (issue 12) before the full run.
#
#   bench/routing/quick.sh [--warmup 45] [--seconds 15] [--connections 16] [--registry N] [--agreement] [--production]
#                          LABEL [hub arguments...]
#
# --production: the production jar (hub-server/target/ocpi-hub-server.jar) as deploy/local/topology.sh runs it, with
# PostgreSQL and a KRaft Kafka as processes of their own (Kafka from the jar's libraries) and without nginx in the
# path (wrk calls the hub's own port), to compare JVM options of the production jar (issue 11: its heap and collector).
# The hub's CPU then holds neither Kafka nor PostgreSQL. Hub arguments become lines of a HUB_CONFIG properties file.
#
# --agreement: before the load, an agreement for every module between the eMSP and the CPO (admin API), so that the
# routed GETs pass with --hub.agreements.mode=required (issue 13: the agreement check's cost on a gated pair).
#
# --registry N: before the load, RegistryFill registers N − 2 more platforms and pushes 10 000 Locations from 100 of
# them (as run.sh --registry), to look at what a large registry costs (issue 12 item 4).
#
# Example: bench/routing/quick.sh baseline; bench/routing/quick.sh no-log --hub.message-log.enabled=false
# Environment: HUB_JAVA_OPTS (unset: -Xmx384m; with --production unset or empty: -Xmx192m -XX:TrimNativeHeapInterval=5000 as deploy/local), QUICK_KEEP=1 (keep the run folder with hub.log). Needs wrk, jq, curl and the jars ./mvnw package builds.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=bench/production-hub.sh
source "$ROOT/bench/production-hub.sh"
WARMUP=45
SECONDS_MEASURED=15
CONNECTIONS=16
REGISTRY=0
AGREEMENT=false
PRODUCTION=false
while [[ $# -gt 0 && "$1" == --* ]]; do
    case "$1" in
        --warmup) WARMUP="$2"; shift 2 ;;
        --seconds) SECONDS_MEASURED="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --registry) REGISTRY="$2"; shift 2
            [[ "$REGISTRY" =~ ^[0-9]+$ ]] && (( REGISTRY == 0 || (REGISTRY >= 3 && REGISTRY <= 1002) )) \
                || { echo "--registry is 0 or 3 to 1002 platforms" >&2; exit 2; } ;;
        --agreement) AGREEMENT=true; shift ;;
        --production) PRODUCTION=true; shift ;;
        -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
[[ $# -ge 1 ]] || { echo "usage: $0 [options] LABEL [hub arguments...]" >&2; exit 2; }
LABEL=$1; shift
for tool in wrk jq curl java; do command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 1; }; done

RUN=$(mktemp -d /tmp/ocpihub-quick.XXXXXX)
if [[ "$PRODUCTION" == true ]]; then
    cp "$ROOT/hub-server/target/ocpi-hub-server.jar" "$RUN/ocpi-hub-server.jar"
else
    cp "$ROOT/hub-app/target/ocpi-hub.jar" "$RUN/ocpi-hub.jar"     # copies: a rebuild during the run cannot hurt it
fi
cp "$ROOT/bench/driver/target/hub-bench.jar" "$RUN/hub-bench.jar"
PIDS=()
cleanup() {
    local rc=$?
    for ((k = ${#PIDS[@]} - 1; k >= 0; k--)); do kill "${PIDS[k]}" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [[ "$PRODUCTION" == true && -d "$RUN/topology" ]]; then
        # clean also removes the PostgreSQL cluster topology.sh keeps outside the run folder
        if [[ "${QUICK_KEEP:-0}" == 1 ]]; then
            LOCAL_TOPOLOGY_DIR="$RUN/topology" "$ROOT/deploy/local/topology.sh" stop >&2 || true
        else
            LOCAL_TOPOLOGY_DIR="$RUN/topology" "$ROOT/deploy/local/topology.sh" clean >&2 || true
        fi
    fi
    if [[ "${QUICK_KEEP:-0}" == 1 ]]; then echo "run folder kept: $RUN" >&2; else rm -rf "$RUN"; fi
    exit $rc
}
trap cleanup EXIT INT TERM

free_port() { # a port nothing listens on
    local p
    for _ in $(seq 200); do
        p=$(( (RANDOM % 12000) + 20000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    return 1
}
if [[ "$PRODUCTION" == true ]]; then
    # Kafka's broker from hub-app's jar, which embeds one; the production jar has only the client
    start_production_hub "$RUN" "$RUN/ocpi-hub-server.jar" "$ROOT/hub-app/target/ocpi-hub.jar" "$@" 2>"$RUN/topology.out" \
        || { cat "$RUN/topology.out" >&2; echo "the topology did not start (logs in $RUN/topology/logs)" >&2; exit 1; }
else
    HUB_PORT=$(free_port); HUB="http://127.0.0.1:$HUB_PORT"
    # shellcheck disable=SC2086
    MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX-2}" java ${HUB_JAVA_OPTS--Xmx384m} -jar "$RUN/ocpi-hub.jar" \
        --server.address=127.0.0.1 --server.port="$HUB_PORT" --hub.data-dir="$RUN/hub-data" --hub.public-url="$HUB" "$@" \
        >"$RUN/hub.log" 2>&1 &
    HUB_PID=$!; PIDS+=("$HUB_PID")
    ADMIN_TOKEN_FILE="$RUN/hub-data/admin.token"
    HUB_LOG="$RUN/hub.log"
fi
for ((i = 0; ; i++)); do
    kill -0 "$HUB_PID" 2>/dev/null || { tail -20 "$HUB_LOG" >&2; exit 1; }
    [[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$HUB/actuator/health/readiness")" == 200 ]] && break
    (( i < 1800 )) || { echo "the hub was not ready within 180 s" >&2; exit 1; }
    sleep 0.1
done
ADMIN=$(cat "$ADMIN_TOKEN_FILE")
platform() { # name, role, party → token A
    curl -sf -X POST "$HUB/admin/api/platforms" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1\",\"roles\":[{\"role\":\"$2\",\"country_code\":\"NL\",\"party_id\":\"$3\",\"business_details\":{\"name\":\"$1\"}}]}" \
        | jq -er .token_a
}
CPO_A=$(platform bench-cpo CPO CPX); EMSP_A=$(platform bench-emsp EMSP EMX)
if [[ "$AGREEMENT" == true ]]; then
    curl -sf -o /dev/null -X POST "$HUB/admin/api/agreements" -H "Authorization: Bearer $ADMIN" \
        -H 'Content-Type: application/json' -d '{"party_a":{"country_code":"NL","party_id":"EMX"},
            "party_b":{"country_code":"NL","party_id":"CPX"},"modules":["all"]}' \
        || { echo "the agreement was refused" >&2; exit 1; }
fi
launcher() { # name, args...
    local name=$1; shift
    java -Dloader.main=org.ocpihub.testkit.party.SimulatedPlatformLauncher -jar "$RUN/hub-bench.jar" "$@" \
        >"$RUN/$name.out" 2>"$RUN/$name.err" &
    PIDS+=("$!")
}
launcher stub --port "$(free_port)" --locations 1000 --country-code NL --party-id CPX --name bench-cpo \
    --hub-versions-url "$HUB/ocpi/versions" --hub-token-a "$CPO_A"
STUB_PID=${PIDS[-1]}
launcher emsp --role EMSP --port "$(free_port)" --country-code NL --party-id EMX --name bench-emsp \
    --hub-versions-url "$HUB/ocpi/versions" --hub-token-a "$EMSP_A"
for ((i = 0; ; i++)); do
    grep -q '^registered=true' "$RUN/stub.out" 2>/dev/null && grep -q '^token_for_hub=' "$RUN/emsp.out" 2>/dev/null && break
    (( i < 600 )) || { cat "$RUN/stub.err" "$RUN/emsp.err" >&2; echo "the stub or the eMSP did not register" >&2; exit 1; }
    sleep 0.1
done
AUTH="Token $(grep -m1 '^token_for_hub=' "$RUN/emsp.out" | cut -d= -f2- | tr -d '\n' | base64 -w0)"
if (( REGISTRY > 2 )); then
    java -Dloader.main=org.ocpihub.bench.RegistryFill -jar "$RUN/hub-bench.jar" --hub-url "$HUB" \
        --admin-token-file "$ADMIN_TOKEN_FILE" --platforms $((REGISTRY - 2)) \
        --cpos $(( REGISTRY - 2 < 100 ? REGISTRY - 2 : 100 )) >"$RUN/fill.out" 2>"$RUN/fill.err" &
    PIDS+=("$!")
    for ((i = 0; ; i++)); do
        grep -q '^filled=' "$RUN/fill.out" 2>/dev/null && break
        kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$RUN/fill.err" >&2; echo "RegistryFill exited" >&2; exit 1; }
        (( i < 36000 )) || { echo "RegistryFill did not finish within an hour" >&2; exit 1; }
        sleep 0.1
    done
    grep -q '^filled=true' "$RUN/fill.out" || { cat "$RUN/fill.out" "$RUN/fill.err" >&2; exit 1; }
    # the 10 000 Locations go to the eMSP: wait for their deliveries, so that none runs while measured
    for ((i = 0; ; i++)); do
        delivered=$(curl -sf -m 5 -H "Authorization: Bearer $ADMIN" \
            "$HUB/actuator/metrics/ocpihub.broadcast.deliveries?tag=outcome:DELIVERED&tag=module:locations" \
            | jq -r '.measurements[0].value // 0' 2>/dev/null || echo 0)
        awk -v d="$delivered" 'BEGIN { exit !(d >= 10000) }' && break
        (( i < 6000 )) || { echo "only $delivered of 10000 Locations delivered within 10 minutes" >&2; exit 1; }
        sleep 0.1
    done
fi

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
load() { # seconds → wrk's output
    wrk -t2 -c"$CONNECTIONS" -d"${1}s" --latency -s "$HERE/locations.lua" "$HUB" -- "$AUTH" NL EMX NL CPX 1000
}
load "$WARMUP" >/dev/null
hub_before=$(ticks "$HUB_PID"); stub_before=$(ticks "$STUB_PID")
out=$(load "$SECONDS_MEASURED")
hub_after=$(ticks "$HUB_PID"); stub_after=$(ticks "$STUB_PID")
requests=$(awk '/requests in/ { print $1 }' <<<"$out")
hz=$(getconf CLK_TCK)
ms() { # wrk's "1.23ms" / "456.00us" / "1.02s" → milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'
}
p50=$(ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
p99=$(ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
max=$(ms "$(awk '$1 == "Latency" && NF >= 4 { print $4; exit }' <<<"$out")")
hwm=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$HUB_PID/status")
awk -v label="$LABEL" -v rps="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" -v n="$requests" -v hz="$hz" \
    -v hub=$((hub_after - hub_before)) -v stub=$((stub_after - stub_before)) -v checked="$(grep checked <<<"$out")" \
    -v p50="$p50" -v p99="$p99" -v max="$max" -v hwm="$hwm" \
    'BEGIN { printf "%s: %.0f req/s, hub %.0f µs/req, stub %.0f µs/req, latency p50 %s ms p99 %s ms max %s ms, hub RSS peak %s MiB, %s\n",
             label, rps, hub / hz * 1e6 / n, stub / hz * 1e6 / n, p50, p99, max, hwm, checked }'
