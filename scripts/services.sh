#!/usr/bin/env bash
# Installs (when missing) and starts PostgreSQL and RabbitMQ on 127.0.0.1 for tests and local
# development, and installs Debian's Chromium (browser tests) and docker-compose (validates the
# deployment description). Idempotent; needs no systemd.
# Run as root (it uses apt-get and starts system services). Settings come from the environment.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PG_USER=${VIGIL_PG_USER:-vigil}  PG_PASS=${VIGIL_PG_PASS:-vigil}  PG_DB=${VIGIL_PG_DB:-vigil}
RMQ_USER=${VIGIL_RMQ_USER:-vigil} RMQ_PASS=${VIGIL_RMQ_PASS:-vigil} RMQ_VHOST=${VIGIL_RMQ_VHOST:-vigil}

if [ "$(id -u)" != 0 ]; then
  echo "services.sh: must run as root (installs Debian packages and starts PostgreSQL/RabbitMQ)" >&2
  exit 1
fi

# ---- packages, in one apt transaction -------------------------------------------------------
need=()
[ -x /usr/bin/pg_ctlcluster ]    || need+=(postgresql)
[ -x /usr/sbin/rabbitmq-server ] || need+=(rabbitmq-server)
[ -x /usr/bin/chromium ]         || need+=(chromium)
[ -x /usr/bin/docker-compose ]   || need+=(docker-compose)   # validates docker-compose.yml in the tests (no engine needed)
# the agent's BPF programs: clang -target bpf, vmlinux.h from the kernel's BTF, libbpf headers (docs/agent.md)
{ command -v clang >/dev/null && command -v llvm-strip >/dev/null; } || need+=(clang llvm)
[ -e /usr/include/bpf/bpf_helpers.h ] || need+=(libbpf-dev)
{ command -v bpftool >/dev/null || [ -x /usr/sbin/bpftool ]; } || need+=(bpftool)
if [ ${#need[@]} -gt 0 ]; then
  echo "services.sh: installing ${need[*]}"
  # keep maintainer scripts from starting services with package defaults
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

# ---- PostgreSQL on 127.0.0.1:5432 -------------------------------------------------------------
PGV=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | awk -v v="$PGV" '$1==v && $2=="main"{f=1} END{exit !f}' || pg_createcluster "$PGV" main >/dev/null
conf=/etc/postgresql/$PGV/main/conf.d/zz-vigil.conf
want=$(printf '%s\n' "listen_addresses = '127.0.0.1'" "port = 5432" "max_connections = 300" \
                     "fsync = off" "synchronous_commit = off" "full_page_writes = off")
restart=0
if [ "$(cat "$conf" 2>/dev/null)" != "$want" ]; then printf '%s\n' "$want" > "$conf"; chown postgres:postgres "$conf"; restart=1; fi
if pg_ctlcluster "$PGV" main status >/dev/null 2>&1; then
  if [ "$restart" = 1 ]; then pg_ctlcluster "$PGV" main restart; fi
else
  pg_ctlcluster "$PGV" main start
fi
for _ in $(seq 120); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.25; done
pg_isready -q -h 127.0.0.1 -p 5432 || { tail -n 50 /var/log/postgresql/postgresql-"$PGV"-main.log; exit 1; }
runuser -u postgres -- psql -q -X -v ON_ERROR_STOP=1 -v u="$PG_USER" -v p="$PG_PASS" -v d="$PG_DB" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN SUPERUSER PASSWORD %L', :'u', :'p') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I LOGIN SUPERUSER PASSWORD %L', :'u', :'p') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'d', :'u') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'d') \gexec
SQL

# ---- RabbitMQ on 127.0.0.1:5672 (management on 127.0.0.1:15672) --------------------------------
cat > /etc/rabbitmq/rabbitmq-env.conf <<'CONF'
NODENAME=rabbit@localhost
NODE_IP_ADDRESS=127.0.0.1
NODE_PORT=5672
export ERL_EPMD_ADDRESS=127.0.0.1
CONF
cat > /etc/rabbitmq/rabbitmq.conf <<'CONF'
listeners.tcp.default = 127.0.0.1:5672
distribution.listener.interface = 127.0.0.1
management.tcp.ip = 127.0.0.1
management.tcp.port = 15672
CONF
echo '[rabbitmq_management,rabbitmq_consistent_hash_exchange].' > /etc/rabbitmq/enabled_plugins
chown rabbitmq:rabbitmq /etc/rabbitmq/rabbitmq-env.conf /etc/rabbitmq/rabbitmq.conf /etc/rabbitmq/enabled_plugins
/etc/init.d/rabbitmq-server start >/dev/null || { tail -n 50 /var/log/rabbitmq/*.log; exit 1; }
rabbitmqctl -q await_startup
rabbitmqctl -q add_vhost "$RMQ_VHOST"
rabbitmqctl -q add_user "$RMQ_USER" "$RMQ_PASS" >/dev/null 2>&1 || rabbitmqctl -q change_password "$RMQ_USER" "$RMQ_PASS"
rabbitmqctl -q set_user_tags "$RMQ_USER" administrator
rabbitmqctl -q set_permissions -p "$RMQ_VHOST" "$RMQ_USER" '.*' '.*' '.*'
echo "services ready: postgres 127.0.0.1:5432 (user $PG_USER, db $PG_DB), rabbitmq 127.0.0.1:5672 (vhost $RMQ_VHOST, user $RMQ_USER)"
