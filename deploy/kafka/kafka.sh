#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft mode, combined broker + controller) for
# mediawatch development and CI, run straight from the Kafka jars on Maven
# Central. Needs Java 17+ and, for the first fetch only, Maven.
#
# Usage: deploy/kafka/kafka.sh <command>
#   fetch    resolve the Kafka jars into the cache (no-op when already cached)
#   start    fetch if needed, format storage once, start the broker in the
#            background and wait until it serves metadata requests
#   stop     stop the broker (SIGTERM, then SIGKILL after a timeout)
#   status   exit 0 when the broker is running and ready, 1 otherwise
#   clean    stop the broker and delete its data directory
#
# Environment (defaults in brackets):
#   MEDIAWATCH_KAFKA_PORT             client (broker) port [9092]
#   MEDIAWATCH_KAFKA_CONTROLLER_PORT  KRaft controller port [client port + 1]
#   MEDIAWATCH_KAFKA_DATA             data directory [<repo>/var/kafka-<port>]
#   MEDIAWATCH_KAFKA_VERSION          Kafka version [4.4.0]
#   MEDIAWATCH_KAFKA_CACHE            jar cache [$HOME/.cache/mediawatch/kafka-<version>]
#   MEDIAWATCH_KAFKA_START_TIMEOUT    seconds to wait for readiness [90]
#   MEDIAWATCH_KAFKA_STOP_TIMEOUT     seconds to wait for a clean shutdown [30]
#   MEDIAWATCH_KAFKA_HEAP_OPTS        broker heap options [-Xms256m -Xmx512m]
#   MEDIAWATCH_KAFKA_JVM_OPTS         extra broker JVM options [none]
#   MEDIAWATCH_KAFKA_EXTRA_PROPERTIES file of broker properties appended to the rendered
#                                     server.properties (a later line wins), e.g. a
#                                     SASL_SSL listener [none]
#   MEDIAWATCH_KAFKA_SCRAM_USERS      SCRAM credentials created when the storage is
#                                     formatted, ';'-separated, each as kafka-storage's
#                                     --add-scram takes it:
#                                     SCRAM-SHA-256=[name=alice,password=…] [none]
#   JAVA_HOME                         Java runtime [java on PATH]
#   MVN                               Maven executable [mvn]
#
# Data directory layout:
#   server.properties  rendered from deploy/kafka/server.properties
#   data/              partition and KRaft metadata logs
#   logs/server.log    broker log (log4j2, see deploy/kafka/log4j2.xml)
#   logs/kafka.out     JVM stdout/stderr
#   kafka.pid          pid of the running broker
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

KAFKA_VERSION="${MEDIAWATCH_KAFKA_VERSION:-4.4.0}"
CACHE_DIR="${MEDIAWATCH_KAFKA_CACHE:-${HOME:-/tmp}/.cache/mediawatch/kafka-$KAFKA_VERSION}"
PORT="${MEDIAWATCH_KAFKA_PORT:-9092}"
START_TIMEOUT="${MEDIAWATCH_KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${MEDIAWATCH_KAFKA_STOP_TIMEOUT:-30}"
HEAP_OPTS="${MEDIAWATCH_KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
EXTRA_JVM_OPTS="${MEDIAWATCH_KAFKA_JVM_OPTS:-}"
MVN="${MVN:-mvn}"

HOST=127.0.0.1
CACHE_MARKER=".mediawatch-kafka-complete"
NODE_ID=1

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_port_number() { [[ $1 =~ ^[0-9]+$ ]] && (($1 > 0 && $1 < 65536)); }
is_port_number "$PORT" || die "MEDIAWATCH_KAFKA_PORT must be a TCP port number, got '$PORT'"
CONTROLLER_PORT="${MEDIAWATCH_KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
is_port_number "$CONTROLLER_PORT" ||
    die "MEDIAWATCH_KAFKA_CONTROLLER_PORT must be a TCP port number, got '$CONTROLLER_PORT'"
[[ $PORT != "$CONTROLLER_PORT" ]] || die "client and controller ports must differ (both $PORT)"
[[ $START_TIMEOUT =~ ^[0-9]+$ ]] || die "MEDIAWATCH_KAFKA_START_TIMEOUT must be whole seconds"
[[ $STOP_TIMEOUT =~ ^[0-9]+$ ]] || die "MEDIAWATCH_KAFKA_STOP_TIMEOUT must be whole seconds"

DATA_DIR="${MEDIAWATCH_KAFKA_DATA:-$REPO_ROOT/var/kafka-$PORT}"
CONFIG_FILE="$DATA_DIR/server.properties"
ADMIN_CONFIG_FILE="$DATA_DIR/admin.properties"
LOG_DIRS="$DATA_DIR/data"
LOGS_DIR="$DATA_DIR/logs"
PID_FILE="$DATA_DIR/kafka.pid"
META_FILE="$LOG_DIRS/meta.properties"

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

find_java() {
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
        JAVA="$JAVA_HOME/bin/java"
    elif command -v java >/dev/null 2>&1; then
        JAVA="$(command -v java)"
    else
        die "no Java runtime found: install Java 17+ or set JAVA_HOME"
    fi
}

jars_cached() {
    [[ -f $CACHE_DIR/$CACHE_MARKER ]] && compgen -G "$CACHE_DIR/kafka_2.13-*.jar" >/dev/null
}

# Resolve the jars with Maven into a temporary directory, then move it into
# place, so an interrupted download never looks like a complete cache.
fetch_jars() {
    jars_cached && return 0
    command -v "$MVN" >/dev/null 2>&1 || die "Maven ('$MVN') is needed to download Kafka $KAFKA_VERSION"
    local parent tmp
    parent="$(dirname "$CACHE_DIR")"
    mkdir -p "$parent"
    exec 8>"$CACHE_DIR.lock"
    flock 8
    if jars_cached; then
        exec 8>&-
        return 0
    fi
    log "downloading Kafka $KAFKA_VERSION jars with Maven into $CACHE_DIR"
    tmp="$(mktemp -d "$CACHE_DIR.partial.XXXXXX")"
    if ! "$MVN" -B -q -f "$SCRIPT_DIR/pom.xml" dependency:copy-dependencies \
        -Dkafka.version="$KAFKA_VERSION" -Dkafka.libs="$tmp" \
        </dev/null >"$tmp/maven.log" 2>&1; then
        cat "$tmp/maven.log" >&2
        rm -rf "$tmp"
        die "Maven could not resolve Kafka $KAFKA_VERSION (see output above)"
    fi
    rm -f "$tmp/maven.log"
    compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || {
        rm -rf "$tmp"
        die "Maven finished but no kafka_2.13 jar was copied"
    }
    printf '%s\n' "$KAFKA_VERSION" >"$tmp/$CACHE_MARKER"
    rm -rf "$CACHE_DIR"
    mv -T "$tmp" "$CACHE_DIR"
    exec 8>&-
}

# Runs a Kafka command-line tool from the cached jars with a small, fast-starting
# JVM, bounded in time.
run_tool() {
    timeout "${tool_timeout:-120}" "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
        -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$SCRIPT_DIR/tools-log4j2.xml" \
        -cp "$CACHE_DIR/*" "$@" </dev/null
}

read_pid() {
    local pid=""
    if [[ -f $PID_FILE ]]; then
        read -r pid <"$PID_FILE" 2>/dev/null || true
    fi
    [[ $pid =~ ^[0-9]+$ ]] && printf '%s\n' "$pid"
}

# True when $1 is a live broker process started for this data directory (an
# exited-but-unreaped process, or an unrelated process that reused the pid,
# does not count).
broker_alive() {
    local args
    args="$(ps -ww -o args= -p "$1" 2>/dev/null)" || return 1
    [[ $args == *kafka.Kafka* && $args == *"$CONFIG_FILE"* ]]
}

running_pid() {
    local pid
    pid="$(read_pid)" || return 1
    broker_alive "$pid" || return 1
    printf '%s\n' "$pid"
}

# False only when the listening socket on port $2 is known to belong to a
# process other than $1 (needs `ss`; without it nothing is ruled out).
port_held_by() {
    local out
    command -v ss >/dev/null 2>&1 || return 0
    out="$(ss -Hltnp "sport = :$2" 2>/dev/null)" || return 0
    [[ $out == *pid=* ]] || return 0
    [[ $out == *"pid=$1,"* ]]
}

port_open() {
    # shellcheck disable=SC2016  # expanded by the inner shell
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null
}

cluster_id() {
    local line
    [[ -f $META_FILE ]] || return 1
    line="$(grep -m1 '^cluster.id=' "$META_FILE")" || return 1
    printf '%s\n' "${line#cluster.id=}"
}

# Kafka cluster ids are 16 random bytes in URL-safe base64 without padding.
new_cluster_id() {
    local id
    while :; do
        id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
        [[ ${#id} == 22 && $id != -* ]] && break
    done
    printf '%s\n' "$id"
}

render_config() {
    local tpl
    tpl="$(<"$SCRIPT_DIR/server.properties")"
    tpl="${tpl//@BROKER_PORT@/"$PORT"}"
    tpl="${tpl//@CONTROLLER_PORT@/"$CONTROLLER_PORT"}"
    tpl="${tpl//@LOG_DIRS@/"$LOG_DIRS"}"
    printf '%s\n' "$tpl" >"$CONFIG_FILE.tmp"
    if [[ -n ${MEDIAWATCH_KAFKA_EXTRA_PROPERTIES:-} ]]; then
        [[ -f $MEDIAWATCH_KAFKA_EXTRA_PROPERTIES ]] ||
            die "MEDIAWATCH_KAFKA_EXTRA_PROPERTIES: no such file: $MEDIAWATCH_KAFKA_EXTRA_PROPERTIES"
        cat "$MEDIAWATCH_KAFKA_EXTRA_PROPERTIES" >>"$CONFIG_FILE.tmp"
    fi
    mv -f "$CONFIG_FILE.tmp" "$CONFIG_FILE"

    # Admin client settings for the readiness probe: fail fast, never hang.
    cat >"$ADMIN_CONFIG_FILE" <<'EOF'
request.timeout.ms=3000
default.api.timeout.ms=6000
socket.connection.setup.timeout.ms=2000
socket.connection.setup.timeout.max.ms=5000
EOF
}

format_storage() {
    [[ -f $META_FILE ]] && return 0
    local id
    id="$(new_cluster_id)"
    log "formatting KRaft storage in $LOG_DIRS (cluster id $id)"
    local scram=() user
    if [[ -n ${MEDIAWATCH_KAFKA_SCRAM_USERS:-} ]]; then
        local -a users
        IFS=';' read -r -a users <<<"$MEDIAWATCH_KAFKA_SCRAM_USERS"
        for user in "${users[@]}"; do
            [[ -n $user ]] && scram+=(--add-scram "$user")
        done
    fi
    if ! run_tool kafka.tools.StorageTool format --config "$CONFIG_FILE" \
        --cluster-id "$id" --standalone "${scram[@]}" >"$LOGS_DIR/format.log" 2>&1; then
        cat "$LOGS_DIR/format.log" >&2
        die "formatting storage failed; run '$0 clean' to start from an empty data directory"
    fi
}

launch_broker() {
    local heap=() extra=()
    read -r -a heap <<<"$HEAP_OPTS"
    read -r -a extra <<<"$EXTRA_JVM_OPTS"
    {
        printf '\n==== %s starting Kafka %s on %s:%s ====\n' \
            "$(date '+%Y-%m-%d %H:%M:%S')" "$KAFKA_VERSION" "$HOST" "$PORT"
    } >>"$LOGS_DIR/kafka.out"
    SERVER_LOG_OFFSET="$(wc -c 2>/dev/null <"$LOGS_DIR/server.log" || echo 0)"
    nohup "$JAVA" "${heap[@]}" -server \
        -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
        -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$SCRIPT_DIR/log4j2.xml" \
        -Dkafka.logs.dir="$LOGS_DIR" \
        "${extra[@]}" \
        -cp "$CACHE_DIR/*" kafka.Kafka "$CONFIG_FILE" \
        </dev/null >>"$LOGS_DIR/kafka.out" 2>&1 8>&- 9>&- &
    LAUNCHED_PID=$!
    printf '%s\n' "$LAUNCHED_PID" >"$PID_FILE"
}

# One readiness probe of the broker with pid $1: the port accepts connections,
# the broker answers a DescribeCluster request with this data directory's
# cluster id (so another server holding the port never passes), and a metadata
# request lists this node as an unfenced broker.
probe_ready() {
    local expected out
    port_open "$PORT" || return 1
    port_held_by "$1" "$PORT" || return 1
    expected="$(cluster_id)" || return 1
    out="$(run_tool_cluster cluster-id)" || return 1
    [[ $out == *"Cluster ID: $expected"* ]] || return 1
    out="$(run_tool_cluster list-endpoints)" || return 1
    grep -Eq "^${NODE_ID}[[:space:]].*[[:space:]]unfenced[[:space:]]" <<<"$out"
}

run_tool_cluster() {
    local tool_timeout=30
    run_tool org.apache.kafka.tools.ClusterTool "$1" \
        --bootstrap-server "$HOST:$PORT" --command-config "$ADMIN_CONFIG_FILE" \
        2>>"$LOGS_DIR/probe.log"
}

# Prints the broker log written since start-up began (last 100 lines, then the
# errors in it) and the JVM's own output, to stderr.
show_logs() {
    local server="$LOGS_DIR/server.log" out="$LOGS_DIR/kafka.out" size run_log errors
    if [[ -s $server ]]; then
        size="$(wc -c <"$server")"
        ((size >= SERVER_LOG_OFFSET)) || SERVER_LOG_OFFSET=0
        run_log="$(tail -c +"$((SERVER_LOG_OFFSET + 1))" "$server")"
        printf -- '---- last 100 lines of %s ----\n' "$server" >&2
        tail -n 100 <<<"$run_log" >&2
        errors="$(grep -E '^\[[^]]*\] (ERROR|FATAL) |^Caused by: ' <<<"$run_log" | tail -n 20)" || true
        if [[ -n $errors ]]; then
            printf -- '---- errors in %s ----\n%s\n' "$server" "$errors" >&2
        fi
    fi
    if [[ -s $out ]]; then
        printf -- '---- JVM output (%s) ----\n' "$out" >&2
        awk '/^==== .* starting Kafka/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$out" |
            tail -n 50 >&2
    fi
    printf -- '---- end of logs ----\n' >&2
}

# Waits for the broker with pid $1 to become ready, bounded by START_TIMEOUT.
wait_ready() {
    local pid=$1 deadline=$((SECONDS + START_TIMEOUT))
    while :; do
        broker_alive "$pid" || { log "broker process $pid exited during start-up"; return 1; }
        probe_ready "$pid" && return 0
        ((SECONDS < deadline)) || { log "broker not ready after ${START_TIMEOUT}s"; return 1; }
        sleep 0.5
    done
}

# Stops the broker with pid $1: SIGTERM, bounded wait, then SIGKILL.
terminate() {
    local pid=$1 deadline
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT))
    while broker_alive "$pid" && ((SECONDS < deadline)); do
        sleep 0.2
    done
    if broker_alive "$pid"; then
        log "broker $pid still running after ${STOP_TIMEOUT}s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        deadline=$((SECONDS + 10))
        while broker_alive "$pid" && ((SECONDS < deadline)); do
            sleep 0.2
        done
        broker_alive "$pid" && die "broker $pid survived SIGKILL"
    fi
    # Reap the process when it is a child of this shell.
    wait "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
}

lock_data_dir() {
    mkdir -p "$DATA_DIR"
    exec 9>"$DATA_DIR/.lock"
    flock -w "$((START_TIMEOUT + STOP_TIMEOUT + 60))" 9 ||
        die "another kafka.sh command holds $DATA_DIR/.lock"
}

# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------

cmd_fetch() {
    fetch_jars
    printf 'kafka %s jars in %s\n' "$KAFKA_VERSION" "$CACHE_DIR"
}

LAUNCHED_PID=""
SERVER_LOG_OFFSET=0

on_interrupt() {
    trap - INT TERM
    if [[ -n $LAUNCHED_PID ]] && broker_alive "$LAUNCHED_PID"; then
        log "interrupted, stopping broker $LAUNCHED_PID"
        terminate "$LAUNCHED_PID"
    fi
    exit 130
}

cmd_start() {
    find_java
    fetch_jars
    lock_data_dir
    mkdir -p "$LOG_DIRS" "$LOGS_DIR"

    local pid
    if pid="$(running_pid)"; then
        log "broker already running for $DATA_DIR (pid $pid)"
    else
        # a port held by another program: said in one line, not in a broker log
        port_open "$PORT" &&
            die "port $PORT is in use by another program: set MEDIAWATCH_KAFKA_PORT to a free port"
        port_open "$CONTROLLER_PORT" &&
            die "port $CONTROLLER_PORT (the KRaft controller's) is in use by another program: set MEDIAWATCH_KAFKA_CONTROLLER_PORT to a free port"
        rm -f "$PID_FILE"
        render_config
        format_storage
        trap on_interrupt INT TERM
        launch_broker
        pid=$LAUNCHED_PID
        log "broker starting (pid $pid, data $DATA_DIR)"
    fi

    if ! wait_ready "$pid"; then
        show_logs
        if [[ -n $LAUNCHED_PID ]] && broker_alive "$LAUNCHED_PID"; then
            log "stopping broker $LAUNCHED_PID"
            terminate "$LAUNCHED_PID"
        fi
        [[ -n $LAUNCHED_PID ]] && rm -f "$PID_FILE"
        exit 1
    fi
    trap - INT TERM
    printf 'kafka ready on %s:%s\n' "$HOST" "$PORT"
}

cmd_stop() {
    [[ -d $DATA_DIR ]] || { log "not running (no $DATA_DIR)"; return 0; }
    lock_data_dir
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        log "not running"
        return 0
    fi
    terminate "$pid"
    log "stopped broker $pid"
}

cmd_status() {
    local pid
    if pid="$(running_pid)"; then
        find_java
        if probe_ready "$pid"; then
            printf 'kafka running on %s:%s (pid %s)\n' "$HOST" "$PORT" "$pid"
            return 0
        fi
        printf 'kafka process %s is running but not ready on %s:%s\n' "$pid" "$HOST" "$PORT"
        return 1
    fi
    printf 'kafka not running for %s\n' "$DATA_DIR"
    return 1
}

cmd_clean() {
    cmd_stop
    [[ -d $DATA_DIR ]] || return 0
    # Only delete directories that look like a broker data directory.
    local entry
    for entry in "$DATA_DIR"/* "$DATA_DIR"/.[!.]*; do
        [[ -e $entry ]] || continue
        case "${entry##*/}" in
        server.properties | admin.properties | data | logs | kafka.pid | .lock | server.properties.tmp) ;;
        *) die "refusing to delete $DATA_DIR: unexpected entry '${entry##*/}'" ;;
        esac
    done
    rm -rf "$DATA_DIR"
    log "deleted $DATA_DIR"
}

usage() {
    sed -n '2,/^set -euo pipefail/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

main() {
    case "${1:-}" in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    clean) cmd_clean ;;
    -h | --help | help) usage ;;
    *)
        usage >&2
        exit 2
        ;;
    esac
}

main "$@"
