# shellcheck shell=bash disable=SC2034
# (SC2034: the variables set here are the caller's)
# Sourced by the benchmarks' --production option (bench/broadcast/run.sh, bench/national/run.sh,
# bench/routing/quick.sh): one production hub as an operator runs it, through deploy/local/topology.sh. Not a script
# of its own.
#
#   start_production_hub RUN_DIR SERVER_JAR KAFKA_JAR [PROPERTY_LINE...]
#
# RUN_DIR: the benchmark's run folder (the topology goes to RUN_DIR/topology, the Kafka broker's class path to
# RUN_DIR/kafka-lib); SERVER_JAR: hub-server's ocpi-hub-server.jar; KAFKA_JAR: hub-app's ocpi-hub.jar, whose
# libraries hold the KRaft broker (the production jar has only Kafka's client); PROPERTY_LINE: Spring properties for
# the hub (hub.security.allow-private-endpoints=true is always added: the simulated platforms are on 127.0.0.1).
# Reads HUB_JAVA_OPTS (unset or empty: deploy/local's default, -Xmx192m -XX:TrimNativeHeapInterval=5000) and MALLOC_ARENA_MAX (unset: 2).
# Sets HUB (http://127.0.0.1:<port>, the hub's own port; members are given nginx's URL), HUB_PORT, HUB_PID, TOPOLOGY,
# ADMIN_TOKEN_FILE, POSTGRES_PID_FILE, HUB_LOG and HUB_JAVA_OPTS_USED (the options the hub got, for the report).
# topology.sh's progress goes to stderr; returns non-zero when the topology did not start (its logs in
# TOPOLOGY/logs). Clean up with `LOCAL_TOPOLOGY_DIR="$TOPOLOGY" deploy/local/topology.sh clean`.

PRODUCTION_HUB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

start_production_hub() {
    local run=$1 server_jar=$2 kafka_jar=$3
    shift 3
    [[ -f "$kafka_jar" ]] || { echo "$kafka_jar (Kafka's broker for --production) missing" >&2; return 1; }
    TOPOLOGY="$run/topology"
    mkdir -p "$run/kafka-lib"
    (cd "$run/kafka-lib" && unzip -q -o -j "$kafka_jar" 'BOOT-INF/lib/*.jar') || return 1
    {
        echo "hub.security.allow-private-endpoints=true"
        local line
        for line in "$@"; do echo "${line#--}"; done
    } >"$run/hub-production.properties"
    # topology.sh reads an empty HUB_JAVA_OPTS as unset: report what the hub really runs with
    HUB_JAVA_OPTS_USED="${HUB_JAVA_OPTS:--Xmx192m -XX:TrimNativeHeapInterval=5000}"
    LOCAL_TOPOLOGY_DIR="$TOPOLOGY" HUB_INSTANCES=1 HUB_JAR="$server_jar" HUB_CONFIG="$run/hub-production.properties" \
        HUB_JAVA_OPTS="$HUB_JAVA_OPTS_USED" MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX-2}" \
        KAFKA_CLASSPATH=$(ls "$run"/kafka-lib/*.jar | paste -sd:) "$PRODUCTION_HUB_ROOT/deploy/local/topology.sh" start >&2 \
        || return 1
    HUB_PORT=$(grep '^HUB_1_PORT=' "$TOPOLOGY/topology.env" | cut -d= -f2)
    HUB="http://127.0.0.1:$HUB_PORT"
    HUB_PID=$(cat "$TOPOLOGY/pids/hub-1.pid")
    ADMIN_TOKEN_FILE="$TOPOLOGY/secrets/admin-token"
    POSTGRES_PID_FILE="$TOPOLOGY/pids/postgres.pid"
    HUB_LOG="$TOPOLOGY/logs/hub-1.log"
}
