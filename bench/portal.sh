#!/usr/bin/env bash
# Item pages per second on loopback: gongkai (SQLite, the demo world) serving
# an item page, side by side with Debian's nginx serving the same page from
# disk. Everything listens on 127.0.0.1 and stops when the script ends.
#
#   bash bench/portal.sh            # 10 s per run, 32 connections
#   DURATION=20s CONNS=64 ITEM=/items/40 bash bench/portal.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
ITEM=${ITEM:-/items/40}
GK_PORT=${GK_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "installing Debian's nginx"
  apt-get update -qq && apt-get install -y -qq nginx >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
gk_pid=
cleanup() {
  [ -n "$gk_pid" ] && kill "$gk_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/gongkai" ./cmd/gongkai
go build -o "$work/loadgen" ./bench/loadgen
"$work/gongkai" demo --db "$work/g.db" >/dev/null
"$work/gongkai" serve --db "$work/g.db" --addr "127.0.0.1:$GK_PORT" >"$work/serve.log" 2>&1 &
gk_pid=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$GK_PORT/healthz" >/dev/null && break; sleep 0.2; done

mkdir -p "$work/www"
curl -sf "http://127.0.0.1:$GK_PORT$ITEM" >"$work/www/item.html"
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  default_type text/html;
  charset utf-8;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$NGINX_PORT; root $work/www; }
}
CONF
mkdir -p "$work/tmp"
# nginx's workers run as an unprivileged user: let them read the page.
chmod a+rx "$work" "$work/www"
chmod a+r "$work/www/item.html"
"$NGINX" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/item.html" >/dev/null && break; sleep 0.2; done

echo "item page $ITEM ($(wc -c <"$work/www/item.html") bytes), $CONNS connections, $DURATION each, on $(nproc) cores shared with the load generator"
"$work/loadgen" -url "http://127.0.0.1:$GK_PORT$ITEM" -c "$CONNS" -d "$DURATION"
"$work/loadgen" -url "http://127.0.0.1:$NGINX_PORT/item.html" -c "$CONNS" -d "$DURATION"
