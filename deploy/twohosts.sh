#!/usr/bin/env bash
# Two app hosts and one database host on this machine, each in its own network namespace,
# so every request, query and cache call crosses a real network interface:
#
#   127.0.0.1:$FF_PROXY_PORT  nginx (this machine's own namespace), spreading requests over
#        |                    both app hosts through the bridge
#   bridge $FF_NAME-br   $FF_SUBNET.1
#        |-- $FF_NAME-db    $FF_SUBNET.10  PostgreSQL :5432 and Redis :6379 (passwords on)
#        |-- $FF_NAME-app1  $FF_SUBNET.11  manage.py serve :8000, the task worker, daily upkeep
#        `-- $FF_NAME-app2  $FF_SUBNET.12  manage.py serve :8000
#
# usage: deploy/twohosts.sh up|down|status
#        deploy/twohosts.sh run app1|app2 COMMAND...   (with that host's environment)
#        deploy/twohosts.sh kill app1|app2             (kill -9 every process on the host)
#        deploy/twohosts.sh stop app1|app2             (SIGTERM, waits for a clean exit)
#        deploy/twohosts.sh start app1|app2            (serve again after kill or stop)
#
# Needs root, iproute2, PostgreSQL's server binaries, redis-server and nginx (`make
# hosts-tools` installs what is missing). `up` starts from nothing (it runs `down` first)
# and tears everything down again if any step fails; `down` is safe to run any time.
# Everything lives in $FF_STATE (logs too); the environment file the app hosts read is
# $FF_STATE/env, written like a production one (docs/deploy.md).
set -Eeuo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
FF_NAME=${FF_NAME:-fftwo}
FF_SUBNET=${FF_SUBNET:-10.231.77}
FF_PROXY_PORT=${FF_PROXY_PORT:-8780}
FF_STATE=${FF_STATE:-/tmp/fanfold-$FF_NAME}
FF_WORKERS=${FF_WORKERS:-2}
PY=${FF_PYTHON:-$REPO/.venv/bin/python}
HOSTS=(db app1 app2)
BRIDGE=$FF_NAME-br
DB_IP=$FF_SUBNET.10

say() { echo "twohosts $(date +%T): $*" >&2; }
die() { say "$*"; exit 1; }
ip_of() { case $1 in db) echo "$DB_IP" ;; app1) echo "$FF_SUBNET.11" ;; app2) echo "$FF_SUBNET.12" ;; *) die "no host $1" ;; esac; }
ns() { echo "$FF_NAME-$1"; }
ns_exists() { ip netns list | grep -qw "^$(ns "$1")"; }

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$dir/postgres" ] || die "PostgreSQL's server binaries are missing (make hosts-tools)"
  echo "$dir"
}

preflight() {
  [ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
  command -v ip >/dev/null || die "needs iproute2 (ip)"
  command -v nginx >/dev/null || die "needs nginx (make hosts-tools)"
  command -v redis-server >/dev/null || die "needs redis-server (make hosts-tools)"
  id postgres >/dev/null 2>&1 || die "needs the postgres system user (Debian's postgresql package)"
  pg_bin >/dev/null
  [ -x "$PY" ] || die "no virtualenv at $PY (make .venv/.installed)"
}

# Every process in a namespace, found by the kernel rather than by name or pid file, so a
# half-started host from a failed run is found too.
kill_host() {
  local signal=$1 host=$2 pids
  ns_exists "$host" || return 0
  pids=$(ip netns pids "$(ns "$host")" 2>/dev/null || true)
  [ -z "$pids" ] || kill "-$signal" $pids 2>/dev/null || true
}

wait_host_empty() {
  local host=$1 seconds=$2
  for _ in $(seq $((seconds * 10))); do
    [ -z "$(ip netns pids "$(ns "$host")" 2>/dev/null || true)" ] && return 0
    sleep 0.1
  done
  return 1
}

down() {
  local host
  if [ -f "$FF_STATE/proxy/nginx.pid" ]; then
    kill -TERM "$(cat "$FF_STATE/proxy/nginx.pid")" 2>/dev/null || true
  fi
  # SIGINT is PostgreSQL's fast shutdown (SIGTERM waits for every client to leave) and
  # stops Redis as well; the app hosts get SIGTERM, as systemd sends.
  [ -d "$FF_STATE/pids" ] && { stop_app app1 & stop_app app2 & wait; } 2>/dev/null
  kill_host TERM app1
  kill_host TERM app2
  kill_host INT db
  for host in app1 app2 db; do
    ns_exists "$host" || continue
    wait_host_empty "$host" 15 || {
      say "$host: still running after 15s: $(ip netns pids "$(ns "$host")" | xargs -r ps -o comm= -p | sort -u | xargs); killing"
      kill_host KILL "$host"; wait_host_empty "$host" 5 || true
    }
  done
  # nginx runs in this namespace: its master is found by its pid file, its workers go
  # with it; a master that ignored TERM is killed outright.
  if [ -f "$FF_STATE/proxy/nginx.pid" ]; then
    local pid; pid=$(cat "$FF_STATE/proxy/nginx.pid")
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  for host in "${HOSTS[@]}"; do
    ns_exists "$host" && ip netns del "$(ns "$host")"
    # A veth goes with its namespace; one left from a run that failed early is removed.
    ip link del "$FF_NAME-$host" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  rm -rf "$FF_STATE"
  return 0
}

network() {
  say "network: bridge $BRIDGE $FF_SUBNET.1/24, hosts ${HOSTS[*]}"
  ip link add "$BRIDGE" type bridge
  # Bridged traffic skips this machine's firewall rules (a FORWARD policy of DROP, as
  # Docker sets, would cut the hosts off from each other).
  ip link set "$BRIDGE" type bridge nf_call_iptables 0 nf_call_ip6tables 0 2>/dev/null || true
  ip addr add "$FF_SUBNET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  local host
  for host in "${HOSTS[@]}"; do
    ip netns add "$(ns "$host")"
    ip link add "$FF_NAME-$host" type veth peer name eth0 netns "$(ns "$host")"
    ip link set "$FF_NAME-$host" master "$BRIDGE" up
    ip -n "$(ns "$host")" link set lo up
    ip -n "$(ns "$host")" addr add "$(ip_of "$host")/24" dev eth0
    ip -n "$(ns "$host")" link set eth0 up
  done
}

# Start a long-running process in a host's namespace, detached, its output in a log.
spawn() {
  local host=$1 log=$2; shift 2
  ip netns exec "$(ns "$host")" setsid "$@" >>"$FF_STATE/logs/$log.log" 2>&1 </dev/null &
}

wait_for() {
  local what=$1 seconds=$2; shift 2
  for _ in $(seq $((seconds * 10))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  say "$what did not come up in ${seconds}s; its log:"
  tail -n 30 "$FF_STATE/logs/"*"$what"*.log >&2 2>/dev/null || true
  return 1
}

database_host() {
  local bin pg_password redis_password
  bin=$(pg_bin)
  # The rig's database is thrown away with it: by default it skips flushing to disk
  # (migrations take a third of the time). Commits are still commits for every client;
  # only a crash of the database host itself could lose them, which no test here does.
  local pg_speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${FF_DURABLE:-0}" = 1 ] && pg_speed=""
  pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  redis_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  mkdir -p "$FF_STATE/db/pg" "$FF_STATE/db/sock" "$FF_STATE/db/redis"
  chown -R postgres: "$FF_STATE/db"
  chmod 700 "$FF_STATE/db/pg"
  printf '%s\n' "$pg_password" >"$FF_STATE/db/pwfile"
  chown postgres: "$FF_STATE/db/pwfile"
  say "database host: initdb, PostgreSQL and Redis on $DB_IP"
  runuser -u postgres -- "$bin/initdb" -D "$FF_STATE/db/pg" -U postgres -E UTF8 \
    --auth-local=trust --auth-host=scram-sha-256 --pwfile="$FF_STATE/db/pwfile" >"$FF_STATE/logs/initdb.log"
  echo "host all all $FF_SUBNET.0/24 scram-sha-256" >>"$FF_STATE/db/pg/pg_hba.conf"
  spawn db postgres runuser -u postgres -- "$bin/postgres" -D "$FF_STATE/db/pg" \
    -c listen_addresses="$DB_IP" -c port=5432 -c unix_socket_directories="$FF_STATE/db/sock" \
    -c max_connections=200 -c shared_buffers=64MB $pg_speed
  cat >"$FF_STATE/db/redis.conf" <<EOF
bind $DB_IP
port 6379
protected-mode yes
requirepass $redis_password
dir $FF_STATE/db/redis
save ""
appendonly no
daemonize no
EOF
  chown postgres: "$FF_STATE/db/redis.conf"
  chmod 600 "$FF_STATE/db/redis.conf"
  spawn db redis runuser -u postgres -- redis-server "$FF_STATE/db/redis.conf"
  wait_for postgres 30 ip netns exec "$(ns db)" runuser -u postgres -- "$bin/pg_isready" -h "$DB_IP" -q
  ip netns exec "$(ns db)" runuser -u postgres -- "$bin/psql" -h "$FF_STATE/db/sock" -q \
    -c "CREATE DATABASE fanfold" >/dev/null
  wait_for redis 10 ip netns exec "$(ns db)" redis-cli -h "$DB_IP" -a "$redis_password" --no-auth-warning ping
  # The environment file, as /etc/fanfold/env would be on a real app host.
  umask 077
  cat >"$FF_STATE/env" <<EOF
SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '/+=')
DATABASE_URL=postgres://postgres:$pg_password@$DB_IP:5432/fanfold
REDIS_URL=redis://:$redis_password@$DB_IP:6379/0
ALLOWED_HOSTS=127.0.0.1,localhost,$FF_SUBNET.11,$FF_SUBNET.12
CLIENT_IP_HEADER=HTTP_X_REAL_IP
FANFOLD_HTTPS=0
FANFOLD_TASK_WORKER=0
WEB_WORKERS=$FF_WORKERS
SITE_URL=http://127.0.0.1:$FF_PROXY_PORT
EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
EMAIL_FILE_PATH=$FF_STATE/mail
${FF_EXTRA_ENV:-}
EOF
  umask 022
}

# A command on an app host with its environment and nothing of the caller's (a test run's
# DATABASE_URL must not leak in), left in the array CMD.
host_cmd() {
  local host=$1; shift
  [ -f "$FF_STATE/env" ] && ns_exists "$host" || die "$host is not up ($0 up)"
  local -a vars=()
  mapfile -t vars < <(grep -v '^\s*\(#\|$\)' "$FF_STATE/env")
  CMD=(ip netns exec "$(ns "$host")" env -i PATH="$(dirname "$PY"):/usr/bin:/bin"
    HOME="$FF_STATE/$host" LANG=C.UTF-8 FANFOLD_VAR_DIR="$FF_STATE/$host/var" "${vars[@]}" "$@")
}

in_host() {
  host_cmd "$@"
  (cd "$REPO" && exec "${CMD[@]}")
}

# A service on an app host: setsid, ip netns exec, env and manage.py each exec the next,
# so the pid kept in $FF_STATE/pids is the service's own main process (granian's, for the
# web server), which `stop` signals the way systemd's KillMode=mixed does.
service() {
  local host=$1 name=$2; shift 2
  host_cmd "$host" "$@"
  mkdir -p "$FF_STATE/pids"
  (cd "$REPO" && exec setsid "${CMD[@]}") >>"$FF_STATE/logs/$host-$name.log" 2>&1 </dev/null &
  echo $! >"$FF_STATE/pids/$host-$name"
}

start_app() {
  local host=$1
  mkdir -p "$FF_STATE/$host/var"
  say "$host: manage.py serve on $(ip_of "$host"):8000 ($FF_WORKERS workers)"
  service "$host" web "$PY" manage.py serve --host "$(ip_of "$host")" --port 8000 --no-tasks
  if [ "$host" = app1 ]; then
    say "$host: the task worker and daily upkeep"
    service "$host" worker "$PY" manage.py db_worker --no-reload --interval 1
    service "$host" daily "$PY" manage.py daily --loop
  fi
}

# A clean stop: SIGTERM to each service's main process only (granian then stops its
# workers, which write what they buffered), then whatever is left of the host is killed.
stop_app() {
  local host=$1 pidfile
  for pidfile in "$FF_STATE/pids/$host-"*; do
    [ -f "$pidfile" ] || continue
    kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  wait_host_empty "$host" 30 || { say "$host did not stop in 30s; killing it"; kill_host KILL "$host"; return 1; }
}

healthy() { curl -fsS -o /dev/null --max-time 5 "$1/healthz"; }

wait_app() {
  local host=$1
  # The first health check starts the host's filter index; 200 once it is built.
  wait_for "$host-web" 60 healthy "http://$(ip_of "$host"):8000"
}

proxy() {
  mkdir -p "$FF_STATE/proxy/tmp"
  chown www-data: "$FF_STATE/proxy/tmp" 2>/dev/null || chmod 777 "$FF_STATE/proxy/tmp"
  cat >"$FF_STATE/proxy/nginx.conf" <<EOF
worker_processes 1;
pid $FF_STATE/proxy/nginx.pid;
error_log $FF_STATE/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log $FF_STATE/logs/nginx-access.log;
    client_body_temp_path $FF_STATE/proxy/tmp/body;
    proxy_temp_path $FF_STATE/proxy/tmp/proxy;
    fastcgi_temp_path $FF_STATE/proxy/tmp/fastcgi;
    uwsgi_temp_path $FF_STATE/proxy/tmp/uwsgi;
    scgi_temp_path $FF_STATE/proxy/tmp/scgi;
    client_max_body_size 8m;
    upstream fanfold {
        server $FF_SUBNET.11:8000 max_fails=1 fail_timeout=5s;
        server $FF_SUBNET.12:8000 max_fails=1 fail_timeout=5s;
        keepalive 16;
    }
    server {
        listen 127.0.0.1:$FF_PROXY_PORT;
        location / {
            proxy_pass http://fanfold;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Real-IP \$remote_addr;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_connect_timeout 2s;
            # A host that refuses or drops a connection: GETs go to the other host. A POST
            # already sent is never sent twice (nginx does not retry non-idempotent ones).
            proxy_next_upstream error timeout http_502 http_503;
        }
    }
}
EOF
  say "proxy: nginx on 127.0.0.1:$FF_PROXY_PORT"
  nginx -e "$FF_STATE/logs/nginx-error.log" -p "$FF_STATE/proxy" -c "$FF_STATE/proxy/nginx.conf"
}

up() {
  preflight
  down
  # A failed or interrupted `up` shows the end of every log, then leaves nothing behind.
  trap 'say "failed; the logs end:"; tail -n 15 "$FF_STATE"/logs/*.log >&2 2>/dev/null || true; down; exit 1' ERR
  trap 'say "interrupted; tearing down"; down; exit 130' INT TERM
  mkdir -p "$FF_STATE/logs" "$FF_STATE/mail"
  chmod 755 "$FF_STATE"
  network
  database_host
  mkdir -p "$FF_STATE/app1/var" "$FF_STATE/app2/var"
  say "app1: migrate, createcachetable, collectstatic"
  # collectstatic needs no database: it runs beside the migrations.
  in_host app1 "$PY" manage.py collectstatic --noinput --verbosity 0 >"$FF_STATE/logs/collectstatic.log" 2>&1 &
  local collecting=$!
  in_host app1 "$PY" manage.py migrate --noinput >"$FF_STATE/logs/migrate.log"
  in_host app1 "$PY" manage.py createcachetable >>"$FF_STATE/logs/migrate.log"
  wait "$collecting" || die "collectstatic failed (see $FF_STATE/logs/collectstatic.log)"
  # Both hosts serve the same build: copy the collected files instead of collecting twice.
  cp -a "$FF_STATE/app1/var/static" "$FF_STATE/app2/var/"
  start_app app1
  start_app app2
  wait_app app1
  wait_app app2
  proxy
  wait_for nginx 10 healthy "http://127.0.0.1:$FF_PROXY_PORT"
  trap - ERR INT TERM
  say "up: http://127.0.0.1:$FF_PROXY_PORT/ (app1 http://$FF_SUBNET.11:8000/, app2 http://$FF_SUBNET.12:8000/)"
}

status() {
  local host code
  for host in "${HOSTS[@]}"; do
    if ! ns_exists "$host"; then echo "$host: down"; continue; fi
    echo "$host ($(ip_of "$host")): $(ip netns pids "$(ns "$host")" | wc -l) processes"
    if [ "$host" != db ]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$(ip_of "$host"):8000/healthz" || true)
      echo "  /healthz: $code"
    fi
  done
  if [ -f "$FF_STATE/proxy/nginx.pid" ] && kill -0 "$(cat "$FF_STATE/proxy/nginx.pid")" 2>/dev/null; then
    echo "proxy: http://127.0.0.1:$FF_PROXY_PORT/"
  else
    echo "proxy: down"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  run) [ $# -ge 3 ] || die "usage: $0 run app1|app2 COMMAND..."; host=$2; shift 2; in_host "$host" "$@" ;;
  kill) kill_host KILL "${2:?host}"; wait_host_empty "$2" 10; rm -f "$FF_STATE/pids/$2-"* ;;
  stop) stop_app "${2:?host}" ;;
  start) start_app "${2:?host}"; wait_app "$2" ;;
  *) echo "usage: $0 up|down|status|run HOST CMD...|kill HOST|stop HOST|start HOST" >&2; exit 2 ;;
esac
