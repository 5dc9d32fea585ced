#!/usr/bin/env bash
# The OCPI hub's external topology on plain processes, no containers: a private PostgreSQL cluster, a standalone KRaft
# Kafka broker, N hub instances from the production jar and nginx in front of them, all on this machine and all kept
# in one run directory. deploy/local/README.md explains every part; `topology.sh help` lists the commands.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
RUN_DIR=${LOCAL_TOPOLOGY_DIR:-./target/local-topology}

usage() {
    cat <<'EOF'
Usage: deploy/local/topology.sh COMMAND [PART]

Commands:
  start [PART]   start PART, or everything not running yet (PostgreSQL, Kafka, hubs, nginx, in that order)
  stop [PART]    stop PART, or everything this run directory started (nginx, hubs, Kafka, PostgreSQL)
  status         show each part: running or not, pid, address; exit 0 only when every part runs
  clean          stop everything, then delete the run directory (data, logs, secrets: all of it)
  help           this text

PART: postgres | kafka | hubs | hub-<n> (e.g. hub-3) | nginx

Environment (all optional):
  LOCAL_TOPOLOGY_DIR  run directory (default ./target/local-topology): data, logs, pid files, generated secrets
  HUB_INSTANCES       number of hub instances (default 2; remembered; raise it and run start to add one)
  HUB_JAR             production jar (default <repo>/hub-server/target/ocpi-hub-server.jar)
  HUB_CONFIG          extra Spring properties/yaml file for every hub (e.g. hub.security.allow-private-endpoints)
  HUB_PUBLIC_URL      URL members use to reach the hub (default http://127.0.0.1:<nginx port>)
  HUB_JAVA_OPTS       JVM options of each hub (default -Xmx192m -XX:TrimNativeHeapInterval=5000, the trim only
                      where the JVM has it); MALLOC_ARENA_MAX: the hubs' (default 2)
  HUB_BIND_ADDRESS    address hubs listen on (default 127.0.0.1: only nginx on this machine reaches them)
  HUB_UPSTREAMS       nginx's hub instances as "host:port host:port ..." (default the instances started here)
  PG_LISTEN           address PostgreSQL listens on (default 127.0.0.1); PG_CLIENTS: who may connect from
                      elsewhere, a pg_hba address (default samenet), always with the password
  PG_HOST, KAFKA_HOST where hubs find PostgreSQL and Kafka (default 127.0.0.1); KAFKA_HOST is also the address
                      Kafka listens on and advertises when it runs here
  KAFKA_HOME          a Kafka distribution (bin/kafka-storage.sh, bin/kafka-server-start.sh), or
  KAFKA_CLASSPATH     a Java classpath holding kafka_2.13 and its dependencies (and slf4j-api 2.x + a binding)
  KAFKA_HEAP_OPTS     JVM heap of Kafka (default -Xmx512m -Xms128m)
  PG_BIN              PostgreSQL binaries (default the newest /usr/lib/postgresql/<version>/bin)
  NGINX               nginx binary (default nginx on PATH, else /usr/sbin/nginx)
  NGINX_LISTEN        address nginx listens on (default 127.0.0.1)
  JAVA                java binary (default $JAVA_HOME/bin/java, else java on PATH)
  PG_PORT, KAFKA_PORT, KAFKA_CONTROLLER_PORT, NGINX_PORT, HUB_<n>_PORT
                      fixed ports; unset = a free port chosen at first start and remembered in topology.env
  Every setting above except LOCAL_TOPOLOGY_DIR, HUB_INSTANCES' default, PG_BIN, NGINX, JAVA and START_TIMEOUT is
  remembered in topology.env when given, so `start hub-2` later builds hub-2 as the first start did; give one as
  empty (HUB_CONFIG= topology.sh start) to forget it.
  START_TIMEOUT       seconds each part may take to become ready (default 180)
EOF
}

say() { printf '%s\n' "$*"; }
fail() { printf 'topology.sh: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------------------------
# run directory, remembered settings (non-secret), secrets (owner-only files, never printed)

settings_file() { printf '%s/topology.env' "$RUN_DIR"; }

# setting KEY: the remembered value, or empty
setting() {
    local file key value
    file=$(settings_file)
    [[ -f $file ]] || return 0
    while IFS='=' read -r key value; do
        if [[ $key == "$1" ]]; then
            printf '%s' "$value"
            return 0
        fi
    done <"$file"
}

# forget KEY: drop it from topology.env
forget() {
    local file
    file=$(settings_file)
    [[ -f $file ]] || return 0
    grep -v "^$1=" "$file" >"$file.tmp" || true
    mv "$file.tmp" "$file"
}

# remember KEY VALUE: stored in topology.env (replacing an earlier value)
remember() {
    local file
    file=$(settings_file)
    touch "$file"
    grep -v "^$1=" "$file" >"$file.tmp" || true
    printf '%s=%s\n' "$1" "$2" >>"$file.tmp"
    mv "$file.tmp" "$file"
}

port_in_use() {
    if command -v ss >/dev/null 2>&1; then
        [[ -n $(ss -Htln "( sport = :$1 )" 2>/dev/null) ]]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

# port_for KEY: the port in $KEY (environment), else the remembered one, else a free one (then remembered)
port_for() {
    local key=$1 port tries
    port=${!key:-}
    [[ -n $port ]] || port=$(setting "$key")
    if [[ -z $port ]]; then
        for ((tries = 0; tries < 200; tries++)); do
            # below Linux's ephemeral range (32768 up), so no outgoing connection takes it before the part binds it
            port=$((20000 + RANDOM % 12000))
            if ! port_in_use "$port" && ! grep -q "=$port\$" "$(settings_file)" 2>/dev/null; then
                break
            fi
            port=
        done
        [[ -n $port ]] || fail "no free port found for $key"
    fi
    remember "$key" "$port"
    printf '%s' "$port"
}

# known_port KEY: the port in $KEY or remembered; a part elsewhere has no port to invent
known_port() {
    local port=${!1:-}
    [[ -n $port ]] || port=$(setting "$1")
    [[ -n $port ]] || fail "$1 unknown: start that part here first, or set $1"
    remember "$1" "$port"
    printf '%s' "$port"
}

random_alnum() {
    local out=''
    while ((${#out} < $1)); do
        out+=$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    done
    printf '%s' "${out:0:$1}"
}

# secret NAME GENERATOR...: the secret in secrets/NAME, generated by GENERATOR on first use
secret() {
    local name=$1 file
    shift
    file="$RUN_DIR/secrets/$name"
    if [[ ! -s $file ]]; then
        (umask 077 && "$@" >"$file")
    fi
    cat "$file"
}

base64_key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }

init_run_dir() {
    mkdir -p "$RUN_DIR"
    RUN_DIR=$(cd "$RUN_DIR" && pwd)
    mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs"
    (umask 077 && mkdir -p "$RUN_DIR/secrets")
    chmod 700 "$RUN_DIR/secrets"
}

# Settings a later `start` or `status` must see again, so restarting one part (say hub-2 after a crash) builds it the
# way the first start did. A value given in the environment is remembered; an empty one (HUB_CONFIG= ...) forgets it.
STICKY_SETTINGS=(HUB_CONFIG HUB_PUBLIC_URL HUB_BIND_ADDRESS HUB_JAVA_OPTS HUB_UPSTREAMS HUB_JAR NGINX_LISTEN
    PG_HOST PG_LISTEN PG_CLIENTS KAFKA_HOST KAFKA_HOME KAFKA_CLASSPATH KAFKA_HEAP_OPTS MALLOC_ARENA_MAX)

load_settings() {
    local key value
    for key in "${STICKY_SETTINGS[@]}"; do
        if [[ -n ${!key+set} ]]; then
            value=${!key}
            [[ $value != *$'\n'* ]] || fail "$key holds a line break"
            if [[ -z $value ]]; then
                forget "$key"
                unset "$key"
                continue
            fi
            # a relative file name means the directory of the first start, not of a later one
            if [[ $key == HUB_CONFIG || $key == HUB_JAR || $key == KAFKA_HOME ]] && [[ -e $value ]]; then
                value=$(cd "$(dirname "$value")" && pwd)/$(basename "$value")
            fi
            remember "$key" "$value"
            printf -v "$key" '%s' "$value"
        else
            value=$(setting "$key")
            [[ -z $value ]] || printf -v "$key" '%s' "$value"
        fi
        # shellcheck disable=SC2163 # exporting the variable named in key
        [[ -z ${!key:-} ]] || export "$key"
    done
}

# ---------------------------------------------------------------------------------------------------------------------
# processes: a part is running when its pid file names a live process whose command line mentions this run directory
# (so a recycled pid never counts)

pid_file() { printf '%s/pids/%s.pid' "$RUN_DIR" "$1"; }

running_pid() {
    local file pid marker=$RUN_DIR
    file=$(pid_file "$1")
    [[ -s $file ]] || return 1
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    # (a killed process nobody has reaped yet, a zombie, has an empty command line: not running either)
    if [[ -r /proc/$pid/cmdline ]]; then
        [[ $1 != postgres ]] || marker=$(pg_dir)
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker" || return 1
    fi
    printf '%s' "$pid"
}

is_running() { running_pid "$1" >/dev/null; }

# stop_pids SECONDS PART...: SIGTERM to every PART together, then SIGKILL to any still there after SECONDS
stop_pids() {
    local seconds=$1 part pid waited=0
    local -A pids=()
    shift
    for part in "$@"; do
        if pid=$(running_pid "$part"); then
            pids[$part]=$pid
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    for part in "${!pids[@]}"; do
        while kill -0 "${pids[$part]}" 2>/dev/null && ((waited < seconds * 5)); do
            sleep 0.2
            waited=$((waited + 1))
        done
        if kill -0 "${pids[$part]}" 2>/dev/null; then
            say "$part did not stop within ${seconds}s: SIGKILL"
            kill -KILL "${pids[$part]}" 2>/dev/null || true
        fi
        say "$part stopped"
    done
    for part in "$@"; do
        rm -f "$(pid_file "$part")"
    done
}

# launch PART LOG COMMAND...: starts COMMAND in its own session (it outlives this script), output to LOG
launch() {
    local part=$1 log=$2
    shift 2
    setsid "$@" </dev/null >>"$log" 2>&1 &
    printf '%s\n' "$!" >"$(pid_file "$part")"
}

# port_open HOST PORT: something accepts TCP connections there
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# http_status PORT PATH: the HTTP status of a GET on 127.0.0.1 (000 when nothing answers)
http_status() {
    local line=''
    line=$(
        exec 2>/dev/null
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
        printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
        IFS= read -r -t 10 line <&3 || true
        printf '%s' "$line"
    ) || true
    line=${line#HTTP/* }
    printf '%s' "${line:0:3}"
    [[ -n $line ]] || printf '000'
}

# await PART DESCRIPTION CHECK...: waits until CHECK succeeds while PART's process lives, up to START_TIMEOUT
await() {
    local part=$1 what=$2 waited=0 limit
    shift 2
    limit=$((${START_TIMEOUT:-180} * 5))
    until "$@"; do
        is_running "$part" || fail "$part died while starting; see its log (status shows where)"
        ((waited < limit)) || fail "$part: $what not reached within ${START_TIMEOUT:-180}s"
        sleep 0.2
        waited=$((waited + 1))
    done
}

java_bin() {
    if [[ -n ${JAVA:-} ]]; then
        printf '%s' "$JAVA"
    elif [[ -n ${JAVA_HOME:-} ]]; then
        printf '%s/bin/java' "$JAVA_HOME"
    else
        command -v java || fail "no java: set JAVA or JAVA_HOME, or install a JDK 17+"
    fi
}

# ---------------------------------------------------------------------------------------------------------------------
# PostgreSQL: a private cluster of Debian's postgresql package, owned by the postgres user when this runs as root
# (initdb and postgres refuse to run as root)

pg_bin() {
    local dir
    if [[ -n ${PG_BIN:-} ]]; then
        printf '%s' "$PG_BIN"
        return
    fi
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
    [[ -n $dir && -x $dir/initdb ]] ||
        fail "no PostgreSQL binaries in /usr/lib/postgresql/<version>/bin: apt-get install postgresql, or set PG_BIN"
    printf '%s' "$dir"
}

as_pg() {
    if ((EUID == 0)); then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# pg_dir: where the cluster lives: the run directory's postgres/, or the PG_DIR remembered in topology.env
pg_dir() {
    local dir
    dir=$(setting PG_DIR)
    printf '%s' "${dir:-$RUN_DIR/postgres}"
}

# pg_socket_dir: postgres/socket, or PG_SOCKET_DIR when that path is too long for a unix socket (about 100 bytes)
pg_socket_dir() {
    local dir
    dir=$(setting PG_SOCKET_DIR)
    printf '%s' "${dir:-$(pg_dir)/socket}"
}

start_postgres() {
    local bin dir data socket port password hba
    if is_running postgres; then
        say "postgres already running"
        return
    fi
    bin=$(pg_bin)
    if ((EUID == 0)); then
        id postgres >/dev/null 2>&1 || fail "running as root needs the postgres system user (apt-get install postgresql)"
        if [[ -z $(setting PG_DIR) ]] && ! as_pg test -x "$RUN_DIR"; then
            # e.g. a run directory under /root: the cluster goes where the postgres user can work
            remember PG_DIR "$(mktemp -d /tmp/ocpihub-postgres.XXXXXX)"
            say "the postgres user cannot reach $RUN_DIR: the cluster lives in $(pg_dir) (clean removes it)"
        fi
    fi
    dir=$(pg_dir)
    data="$dir/data"
    if [[ -z $(setting PG_SOCKET_DIR) ]] && ((${#dir} > 80)); then
        remember PG_SOCKET_DIR "$(mktemp -d /tmp/ocpihub-pgsock.XXXXXX)"
    fi
    socket=$(pg_socket_dir)
    port=$(port_for PG_PORT)
    mkdir -p "$dir" "$socket"
    chmod 700 "$dir" "$socket"
    if ((EUID == 0)); then
        chown postgres: "$dir" "$socket"
    fi
    if [[ ! -s $data/PG_VERSION ]]; then
        # local (unix socket) connections: only the cluster's owner can open the 0700 socket directory; TCP: passwords
        as_pg "$bin/initdb" -D "$data" -U postgres -E UTF8 --no-locale --auth-local=trust \
            --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || fail "initdb failed: see $dir/initdb.log"
        printf "include_if_exists = 'topology.conf'\n" | as_pg tee -a "$data/postgresql.conf" >/dev/null
    fi
    if [[ ${PG_LISTEN:-127.0.0.1} != 127.0.0.1 ]]; then
        # hubs on other machines: the hub's user, with its password, from PG_CLIENTS only
        hba="host ocpihub ocpihub ${PG_CLIENTS:-samenet} scram-sha-256"
        as_pg grep -qxF "$hba" "$data/pg_hba.conf" || printf '%s\n' "$hba" | as_pg tee -a "$data/pg_hba.conf" >/dev/null
    fi
    # the address settings are rewritten on every start, so a port chosen in topology.env applies
    as_pg tee "$data/topology.conf" >/dev/null <<EOF
port = $port
listen_addresses = '${PG_LISTEN:-127.0.0.1}'
unix_socket_directories = '$socket'
unix_socket_permissions = 0700
EOF
    as_pg "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t "${START_TIMEOUT:-180}" start >"$dir/pg_ctl.log" 2>&1 ||
        fail "PostgreSQL did not start: see $dir/postgres.log"
    head -n 1 "$data/postmaster.pid" >"$(pid_file postgres)"
    if [[ ! -f $dir/provisioned ]]; then
        password=$(secret db-password random_alnum 32)
        # the password goes through standard input, never a command line
        as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$socket" -p "$port" -U postgres -d postgres >/dev/null <<EOF
CREATE ROLE ocpihub LOGIN PASSWORD '$password';
CREATE DATABASE ocpihub OWNER ocpihub;
EOF
        touch "$dir/provisioned"
    fi
    say "postgres running on ${PG_LISTEN:-127.0.0.1}:$port (database ocpihub, user ocpihub, password in $RUN_DIR/secrets/db-password)"
}

stop_postgres() {
    local bin data
    data="$(pg_dir)/data"
    if [[ -f $data/postmaster.pid ]]; then
        bin=$(pg_bin)
        as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >>"$(pg_dir)/pg_ctl.log" 2>&1 ||
            stop_pids 30 postgres
        say "postgres stopped"
    fi
    rm -f "$(pid_file postgres)"
}

# ---------------------------------------------------------------------------------------------------------------------
# Kafka: one KRaft node in combined mode (broker and controller), replication factor 1

kafka_cluster_id() {
    local id
    id=$(setting KAFKA_CLUSTER_ID)
    if [[ -z $id ]]; then
        # 16 random bytes in URL-safe Base64, as Kafka's Uuid; Kafka's own ids never start with '-'
        until [[ -n $id && $id != -* ]]; do
            id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
        done
        remember KAFKA_CLUSTER_ID "$id"
    fi
    printf '%s' "$id"
}

# kafka_logging: a logging set-up at WARN (broker start and stop at INFO) for a broker run from KAFKA_CLASSPATH. Without
# it logback, the binding hub-embedded's classpath brings, logs everything at DEBUG: gigabytes a day in kafka.log
kafka_logging() {
    local dir="$RUN_DIR/kafka"
    mkdir -p "$dir"
    cat >"$dir/logback.xml" <<'EOF_LOGBACK'
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{ISO8601} %-5level [%logger{36}] %msg%n</pattern></encoder>
  </appender>
  <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
  <logger name="kafka.server.BrokerServer" level="INFO"/>
  <logger name="kafka.server.ControllerServer" level="INFO"/>
  <root level="WARN"><appender-ref ref="out"/></root>
</configuration>
EOF_LOGBACK
    cat >"$dir/log4j2.properties" <<'EOF_LOG4J'
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n
rootLogger.level = warn
rootLogger.appenderRef.out.ref = out
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = info
logger.broker.name = kafka.server.BrokerServer
logger.broker.level = info
EOF_LOG4J
}

kafka_java() {
    local java dir="$RUN_DIR/kafka"
    java=$(java_bin)
    # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS holds several options
    printf '%s\n' "$java" ${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m} "-Dlogback.configurationFile=$dir/logback.xml" \
        "-Dlog4j2.configurationFile=$dir/log4j2.properties" -cp "$KAFKA_CLASSPATH"
}

start_kafka() {
    local dir conf port controller_port id
    local -a java
    if is_running kafka; then
        say "kafka already running"
        return
    fi
    if [[ -z ${KAFKA_HOME:-} && -z ${KAFKA_CLASSPATH:-} ]]; then
        fail "Kafka: set KAFKA_HOME (a Kafka 4.x distribution) or KAFKA_CLASSPATH (kafka_2.13 jars)"
    fi
    dir="$RUN_DIR/kafka"
    conf="$dir/kraft.properties"
    port=$(port_for KAFKA_PORT)
    controller_port=$(port_for KAFKA_CONTROLLER_PORT)
    mkdir -p "$dir/data"
    kafka_logging
    cat >"$conf" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://${KAFKA_HOST:-127.0.0.1}:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://${KAFKA_HOST:-127.0.0.1}:$port
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=8
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.cleaner.dedupe.buffer.size=8388608
EOF
    id=$(kafka_cluster_id)
    if [[ ! -f $dir/data/meta.properties ]]; then
        if [[ -n ${KAFKA_HOME:-} ]]; then
            "$KAFKA_HOME/bin/kafka-storage.sh" format -t "$id" -c "$conf" >"$dir/format.log" 2>&1 ||
                fail "formatting Kafka's log directory failed: see $dir/format.log"
        else
            mapfile -t java < <(kafka_java)
            "${java[@]}" kafka.tools.StorageTool format -t "$id" -c "$conf" >"$dir/format.log" 2>&1 ||
                fail "formatting Kafka's log directory failed: see $dir/format.log"
        fi
    fi
    if [[ -n ${KAFKA_HOME:-} ]]; then
        launch kafka "$RUN_DIR/logs/kafka.log" env LOG_DIR="$RUN_DIR/logs" \
            KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m}" "$KAFKA_HOME/bin/kafka-server-start.sh" "$conf"
    else
        mapfile -t java < <(kafka_java)
        launch kafka "$RUN_DIR/logs/kafka.log" "${java[@]}" kafka.Kafka "$conf"
    fi
    await kafka "its port $port open" port_open "${KAFKA_HOST:-127.0.0.1}" "$port"
    say "kafka running on ${KAFKA_HOST:-127.0.0.1}:$port (log $RUN_DIR/logs/kafka.log)"
}

stop_kafka() { stop_pids 60 kafka; }

# ---------------------------------------------------------------------------------------------------------------------
# hub instances from the production jar; the secrets reach them through an owner-only properties file

hub_count() {
    local count=${HUB_INSTANCES:-}
    [[ -n $count ]] || count=$(setting HUB_INSTANCES)
    [[ -n $count ]] || count=2
    [[ $count =~ ^[1-9][0-9]*$ ]] || fail "HUB_INSTANCES must be a number from 1 up, not '$count'"
    remember HUB_INSTANCES "$count"
    printf '%s' "$count"
}

public_url() {
    if [[ -n ${HUB_PUBLIC_URL:-} ]]; then
        printf '%s' "$HUB_PUBLIC_URL"
    else
        printf 'http://127.0.0.1:%s' "$(port_for NGINX_PORT)"
    fi
}

write_hub_properties() {
    local file="$RUN_DIR/secrets/hub.properties" pg_port kafka_port password key token
    pg_port=$(known_port PG_PORT)
    kafka_port=$(known_port KAFKA_PORT)
    if [[ ${PG_HOST:-127.0.0.1} != 127.0.0.1 && ! -s $RUN_DIR/secrets/db-password ]]; then
        fail "PostgreSQL is on $PG_HOST: copy its run directory's secrets/ here first (every instance shares them)"
    fi
    password=$(secret db-password random_alnum 32)
    key=$(secret secret-key base64_key)
    token=$(secret admin-token random_alnum 40)
    (
        umask 077
        cat >"$file" <<EOF
# generated by deploy/local/topology.sh: addresses and secrets of every hub instance (owner-only)
spring.r2dbc.url=r2dbc:postgresql://${PG_HOST:-127.0.0.1}:$pg_port/ocpihub
spring.r2dbc.username=ocpihub
spring.r2dbc.password=$password
spring.flyway.url=jdbc:postgresql://${PG_HOST:-127.0.0.1}:$pg_port/ocpihub
spring.flyway.user=ocpihub
spring.flyway.password=$password
spring.kafka.bootstrap-servers=${KAFKA_HOST:-127.0.0.1}:$kafka_port
hub.secret-key=$key
hub.admin.token=$token
# only nginx reaches the instances, so the X-Forwarded-* headers it sets are trusted
server.forward-headers-strategy=framework
EOF
    )
}

launch_hub() {
    local n=$1 port jar locations java
    local -a opts
    port=$(port_for "HUB_${n}_PORT")
    jar=${HUB_JAR:-$REPO_DIR/hub-server/target/ocpi-hub-server.jar}
    [[ -f $jar ]] || fail "no production jar at $jar: build it (./mvnw -DskipTests package -pl hub-server -am) or set HUB_JAR"
    locations="file:$RUN_DIR/secrets/hub.properties"
    if [[ -n ${HUB_CONFIG:-} ]]; then
        [[ -f $HUB_CONFIG ]] || fail "HUB_CONFIG names no file: $HUB_CONFIG"
        locations+=",file:$(cd "$(dirname "$HUB_CONFIG")" && pwd)/$(basename "$HUB_CONFIG")"
    fi
    # 192 MiB of heap: the hub's RSS stays under 512 MiB with a receiver lagging (docs/benchmarks.md, "The
    # production jar with a lagging receiver"); two malloc arenas keep what lives outside the heap small
    java=$(java_bin)
    read -r -a opts <<<"${HUB_JAVA_OPTS:-$(default_java_opts "$java")}"
    launch "hub-$n" "$RUN_DIR/logs/hub-$n.log" env MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" "$java" "${opts[@]}" -jar "$jar" \
        "--spring.config.additional-location=$locations" "--server.port=$port" \
        "--server.address=${HUB_BIND_ADDRESS:-127.0.0.1}" "--hub.public-url=$(public_url)"
}

# The hubs' JVM options unless HUB_JAVA_OPTS says otherwise: a 192 MiB heap, and glibc's heap trimmed every 5 s
# (malloc_trim: freed native memory goes back to the system; 5 to 35 MiB less RSS, docs/benchmarks.md, "Trimming the
# native heap"). The trim needs JDK 17.0.11 or later, where the flag is a product one; an older JVM refuses to start
# with it, so it is left out there.
default_java_opts() {
    if "$1" -XX:TrimNativeHeapInterval=5000 -version >/dev/null 2>&1; then
        echo "-Xmx192m -XX:TrimNativeHeapInterval=5000"
    else
        echo "-Xmx192m"
    fi
}

hub_ready() { [[ $(http_status "$1" /actuator/health/readiness) == 200 ]]; }

# start_hubs N...: launches the instances together (they share the start-up work), then waits for each
start_hubs() {
    local n
    local -a started=()
    # here or on another machine (PG_HOST, KAFKA_HOST): what matters is that they answer
    local pg_port kafka_port
    pg_port=$(known_port PG_PORT)
    kafka_port=$(known_port KAFKA_PORT)
    port_open "${PG_HOST:-127.0.0.1}" "$pg_port" ||
        fail "no PostgreSQL on ${PG_HOST:-127.0.0.1}:$pg_port: start postgres first (or set PG_HOST, PG_PORT)"
    port_open "${KAFKA_HOST:-127.0.0.1}" "$kafka_port" ||
        fail "no Kafka on ${KAFKA_HOST:-127.0.0.1}:$kafka_port: start kafka first (or set KAFKA_HOST, KAFKA_PORT)"
    write_hub_properties
    for n in "$@"; do
        if is_running "hub-$n"; then
            say "hub-$n already running"
        else
            launch_hub "$n"
            started+=("$n")
        fi
    done
    for n in "${started[@]}"; do
        await "hub-$n" "readiness" hub_ready "$(setting "HUB_${n}_PORT")"
        say "hub-$n ready on 127.0.0.1:$(setting "HUB_${n}_PORT") (log $RUN_DIR/logs/hub-$n.log)"
    done
}

all_hubs() {
    local n count
    count=$(hub_count)
    for ((n = 1; n <= count; n++)); do
        printf '%s\n' "$n"
    done
}

# hub numbers with a pid file or a port, beyond the configured count too (so stop finds a removed instance)
known_hubs() {
    {
        all_hubs
        find "$RUN_DIR/pids" -name 'hub-*.pid' 2>/dev/null | sed 's/.*hub-\([0-9]*\)\.pid/\1/'
    } | sort -nu
}

# ---------------------------------------------------------------------------------------------------------------------
# nginx: round robin for OCPI, the same instance per client address for /admin, passive health checks

nginx_bin() {
    if [[ -n ${NGINX:-} ]]; then
        printf '%s' "$NGINX"
    elif command -v nginx >/dev/null 2>&1; then
        command -v nginx
    elif [[ -x /usr/sbin/nginx ]]; then
        printf '/usr/sbin/nginx'
    else
        fail "no nginx: apt-get install nginx-light, or set NGINX"
    fi
}

write_nginx_conf() {
    local dir="$RUN_DIR/nginx" port servers='' n count=0
    NGINX_UPSTREAM_COUNT=0
    port=$(port_for NGINX_PORT)
    mkdir -p "$dir/tmp"
    local -a upstreams=()
    if [[ -n ${HUB_UPSTREAMS:-} ]]; then
        read -r -a upstreams <<<"$HUB_UPSTREAMS"
    else
        for n in $(all_hubs); do
            upstreams+=("127.0.0.1:$(port_for "HUB_${n}_PORT")")
        done
    fi
    local health_servers=''
    for n in "${upstreams[@]}"; do
        servers+="        server $n max_fails=1 fail_timeout=10s;"$'\n'
        health_servers+="        server $n max_fails=0;"$'\n'
        count=$((count + 1))
    done
    NGINX_UPSTREAM_COUNT=$count
    cat >"$dir/nginx.conf" <<EOF
# generated by deploy/local/topology.sh (regenerated on every start: edit the script, not this file)
worker_processes 1;
pid $dir/nginx.pid;
error_log $RUN_DIR/logs/nginx-error.log warn;

events {
    worker_connections 1024;
}

http {
    log_format upstream '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent '
                        'upstream=\$upstream_addr upstream_status=\$upstream_status time=\$request_time';
    access_log $RUN_DIR/logs/nginx-access.log upstream;
    client_body_temp_path $dir/tmp/client_body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    server_tokens off;
    # the hub enforces its own body limits (hub.http.max-body-size, per module up to a few MB)
    client_max_body_size 16m;

    # OCPI: round robin; an instance that fails once is left out for 10 s (passive health check)
    upstream ocpi_hub {
$servers        keepalive 32;
    }

    # health: never marks an instance failed. A readiness 503 (its database or Kafka away) must not take the instance
    # out of OCPI traffic for 10 s, nor make nginx try the next one and hide which instance is not ready
    upstream ocpi_hub_health {
$health_servers    }

    # the console keeps its sessions in each instance's memory: one client address stays on one instance
    upstream ocpi_hub_admin {
        hash \$remote_addr consistent;
$servers        keepalive 8;
    }

    # X-Forwarded-Proto as the client saw it: a TLS terminator in front of this nginx sets it, else it is our scheme
    map \$http_x_forwarded_proto \$forwarded_proto {
        default \$http_x_forwarded_proto;
        ""      \$scheme;
    }

    server {
        listen ${NGINX_LISTEN:-127.0.0.1}:$port;

        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$http_host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto \$forwarded_proto;
        proxy_set_header X-Forwarded-Host \$host;
        proxy_set_header X-Forwarded-Port \$server_port;
        # the instances trust forwarded headers: a client's own Forwarded header must not reach them
        proxy_set_header Forwarded "";
        proxy_connect_timeout 2s;
        # longer than any answer the hub gives (routing 10 s, commands 30 s + grace), so a slow answer is not retried
        proxy_read_timeout 120s;
        proxy_send_timeout 60s;
        # a dead or refusing instance: try the next one. nginx never resends a POST or PATCH once it reached an
        # instance; it does resend GET, PUT and DELETE, which OCPI makes idempotent (a PUT replaces the object by id).
        # Not on 502 or 503: the hub relays a member's answer with its HTTP status, so such a status is usually the
        # receiving platform's; resending it through the other instance, or leaving this instance out for it, would
        # be wrong. A dead or refusing instance is 'error', a hung one 'timeout'
        proxy_next_upstream error timeout;
        proxy_next_upstream_tries $count;
        proxy_next_upstream_timeout 30s;

        location / {
            proxy_pass http://ocpi_hub;
        }

        location /admin {
            proxy_pass http://ocpi_hub_admin;
        }

        # metrics of a random instance mean nothing: Prometheus scrapes each instance directly. Health stays open,
        # for an outer load balancer or a quick look
        location /actuator/ {
            return 404;
        }

        location /actuator/health {
            proxy_next_upstream off;
            proxy_pass http://ocpi_hub_health;
        }
    }
}
EOF
}

start_nginx() {
    local bin dir="$RUN_DIR/nginx"
    bin=$(nginx_bin)
    write_nginx_conf
    "$bin" -p "$dir/" -c "$dir/nginx.conf" -t -q 2>>"$RUN_DIR/logs/nginx-error.log" ||
        fail "the generated nginx configuration does not pass nginx -t: see $RUN_DIR/logs/nginx-error.log"
    if is_running nginx; then
        "$bin" -p "$dir/" -c "$dir/nginx.conf" -s reload 2>>"$RUN_DIR/logs/nginx-error.log"
        say "nginx reloaded: $NGINX_UPSTREAM_COUNT hub instance(s) behind http://127.0.0.1:$(setting NGINX_PORT)"
        return
    fi
    "$bin" -p "$dir/" -c "$dir/nginx.conf" 2>>"$RUN_DIR/logs/nginx-error.log" ||
        fail "nginx did not start: see $RUN_DIR/logs/nginx-error.log"
    cp "$dir/nginx.pid" "$(pid_file nginx)"
    await nginx "its port open" port_open "${NGINX_LISTEN:-127.0.0.1}" "$(setting NGINX_PORT)"
    say "nginx running on http://127.0.0.1:$(setting NGINX_PORT) (hub public URL $(public_url))"
}

stop_nginx() { stop_pids 20 nginx; }

# ---------------------------------------------------------------------------------------------------------------------

start_part() {
    case $1 in
        postgres) start_postgres ;;
        kafka) start_kafka ;;
        hubs)
            local -a hubs
            mapfile -t hubs < <(all_hubs)
            start_hubs "${hubs[@]}"
            ;;
        hub-[0-9]*) start_hubs "${1#hub-}" ;;
        nginx) start_nginx ;;
        all)
            start_postgres
            start_kafka
            start_part hubs
            start_nginx
            say "admin token in $RUN_DIR/secrets/admin-token; status: $0 status"
            ;;
        *) fail "unknown part '$1' (postgres, kafka, hubs, hub-<n>, nginx)" ;;
    esac
}

stop_part() {
    local n
    case $1 in
        postgres) stop_postgres ;;
        kafka) stop_kafka ;;
        hubs)
            local -a hubs=()
            for n in $(known_hubs); do hubs+=("hub-$n"); done
            stop_pids 30 "${hubs[@]}"
            ;;
        hub-[0-9]*) stop_pids 30 "$1" ;;
        nginx) stop_nginx ;;
        all)
            stop_nginx
            stop_part hubs
            stop_kafka
            stop_postgres
            ;;
        *) fail "unknown part '$1' (postgres, kafka, hubs, hub-<n>, nginx)" ;;
    esac
}

# status_line PART ADDRESS: ADDRESS is shown only when its port is known (the part was started once)
status_line() {
    local part=$1 address=$2 pid
    [[ $address =~ :[0-9]+ ]] || address='(never started here)'
    if pid=$(running_pid "$part"); then
        printf '%-10s running  pid %-8s %s\n' "$part" "$pid" "$address"
    else
        printf '%-10s stopped  %-12s %s\n' "$part" '' "$address"
        return 1
    fi
}

status() {
    local ok=0 n
    status_line postgres "${PG_LISTEN:-127.0.0.1}:$(setting PG_PORT) database ocpihub" || ok=1
    status_line kafka "${KAFKA_HOST:-127.0.0.1}:$(setting KAFKA_PORT)" || ok=1
    for n in $(known_hubs); do
        status_line "hub-$n" "http://127.0.0.1:$(setting "HUB_${n}_PORT")" || ok=1
    done
    status_line nginx "http://127.0.0.1:$(setting NGINX_PORT)" || ok=1
    say "run directory $RUN_DIR (logs in logs/, admin token in secrets/admin-token)"
    return $ok
}

clean() {
    local dir
    [[ -f $RUN_DIR/topology.env ]] || fail "$RUN_DIR has no topology.env: not a run directory, not deleting it"
    stop_part all
    for dir in "$(setting PG_DIR)" "$(setting PG_SOCKET_DIR)"; do
        [[ -z $dir ]] || rm -rf -- "$dir"
    done
    rm -rf -- "$RUN_DIR"
    say "deleted $RUN_DIR"
}

main() {
    local command=${1:-help} part=${2:-all}
    case $command in
        start)
            init_run_dir
            load_settings
            start_part "$part"
            ;;
        stop | status | clean)
            if [[ ! -d $RUN_DIR ]]; then
                say "nothing here: no run directory $RUN_DIR"
                [[ $command == status ]] && return 1
                return 0
            fi
            RUN_DIR=$(cd "$RUN_DIR" && pwd)
            [[ $command == clean ]] || load_settings
            case $command in
                stop) stop_part "$part" ;;
                status) status ;;
                clean) clean ;;
            esac
            ;;
        help | -h | --help) usage ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
}

main "$@"
