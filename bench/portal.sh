#!/usr/bin/env bash
# Public pages per second on loopback, side by side in one interleaved run:
#   gongkai  — `gongkai serve` (SQLite, the demo world), its page cache warm;
#   nginx    — Debian's nginx serving the same bytes from disk;
#   export   — nginx serving `gongkai portal export`'s files with the
#              configuration the export writes beside them.
# Each round asks every server for every page once (ab -k, keep-alive), in
# turn; the script prints each round, then per page the median req/s, the
# median p99 and the ratio gongkai/nginx. Everything listens on 127.0.0.1
# and stops when the script ends.
#
#   bash bench/portal.sh                      # 3 rounds, 5000 requests, 8 clients
#   ROUNDS=5 N=20000 C=8 bash bench/portal.sh
#   DB=/path/to/big.db UNIT=fuzhou bash bench/portal.sh   # an existing database
#   UNCACHED=1 ONLY=gongkai bash bench/portal.sh          # each page rendered afresh
#       (a flash cookie bypasses the page cache: what a miss costs, by database size)
#
# Needs nginx and ab (apt-get install -y nginx apache2-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
N=${N:-5000}
C=${C:-8}
UNIT=${UNIT:-fuzhou}
GK_PORT=${GK_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
EXPORT_PORT=${EXPORT_PORT:-18082}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v ab >/dev/null || { echo "ab not found: apt-get install -y apache2-utils" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "nginx not found: apt-get install -y nginx" >&2; exit 1; }

work=$(mktemp -d)
gk_pid=
cleanup() {
  [ -n "$gk_pid" ] && kill "$gk_pid" 2>/dev/null || true
  for p in "$work"/nginx*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/gongkai" ./cmd/gongkai
db=${DB:-}
if [ -z "$db" ]; then
  db="$work/g.db"
  "$work/gongkai" demo --db "$db" >/dev/null
fi
"$work/gongkai" serve --db "$db" --addr "127.0.0.1:$GK_PORT" >"$work/serve.log" 2>&1 &
gk_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$GK_PORT/healthz" >/dev/null && break; sleep 0.2; done

# The pages: an item, the home page, a category list, the catalogue.
ITEM=${ITEM:-$(curl -sf "http://127.0.0.1:$GK_PORT/" | grep -o 'href="/items/[0-9]*"' | head -1 | sed 's/href="//; s/"//')}
CAT=${CAT:-/catalog/$(curl -sf "http://127.0.0.1:$GK_PORT/column/catalog" | grep -o 'href="/catalog/[^"]*"' | head -1 | sed 's|href="/catalog/||; s/"//')}
PAGES=("$ITEM" "/" "$CAT" "/column/catalog")

# nginx on the same bytes (each page as one file).
mkdir -p "$work/www" "$work/tmp"
i=0
for p in "${PAGES[@]}"; do
  curl -sf "http://127.0.0.1:$GK_PORT$p" >"$work/www/p$i.html"
  i=$((i + 1))
done
common="access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000; charset utf-8;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;"
cat >"$work/nginx.conf" <<CONF
worker_processes 2; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 1024; }
http { $common default_type text/html;
  server { listen 127.0.0.1:$NGINX_PORT; root $work/www; } }
CONF

# The export, served by nginx with the configuration written beside it.
"$work/gongkai" portal export --unit "$UNIT" --db "$db" --base-url "http://127.0.0.1:$EXPORT_PORT" \
  --upstream "http://127.0.0.1:$GK_PORT" "$work/site" >/dev/null
sed -e "s/listen 80;/listen 127.0.0.1:$EXPORT_PORT;/" "$work/site.nginx.conf" >"$work/site.conf"
cat >"$work/nginx-export.conf" <<CONF
worker_processes 2; pid $work/nginx-export.pid; error_log $work/nginx-export-error.log;
events { worker_connections 1024; }
http { $common
  include $work/site.conf; }
CONF
chmod -R a+rX "$work"
"$NGINX" -c "$work/nginx.conf" -p "$work"
"$NGINX" -c "$work/nginx-export.conf" -p "$work"
sleep 0.5

bench() { # url [ab flags…] → "req/s p99"
  local u=$1; shift
  ab -q -k -n "$N" -c "$C" "$@" "$u" 2>/dev/null | awk '/Requests per second/ {r=$4} / 99% / {p=$2} END {print r, p}'
}
SERVERS=${ONLY:-gongkai nginx export}
GKFLAGS=()
[ -n "${UNCACHED:-}" ] && GKFLAGS=(-C gk_flash=x)
echo "pages: item $ITEM, home /, category $CAT; ab -k -n $N -c $C; $ROUNDS interleaved rounds; $(nproc) cores shared with ab"
res="$work/results"
: >"$res"
for round in $(seq 1 "$ROUNDS"); do
  i=0
  for p in "${PAGES[@]}"; do
    for who in $SERVERS; do
      case $who in
        gongkai) url="http://127.0.0.1:$GK_PORT$p" ;;
        nginx) url="http://127.0.0.1:$NGINX_PORT/p$i.html" ;;
        export) url="http://127.0.0.1:$EXPORT_PORT$p" ;;
      esac
      if [ "$who" = gongkai ]; then read -r rps p99 < <(bench "$url" "${GKFLAGS[@]}"); else read -r rps p99 < <(bench "$url"); fi
      echo "$round $p $who $rps $p99" | tee -a "$res"
    done
    i=$((i + 1))
  done
done
echo
echo "median req/s (p99 ms) per page; ratio = gongkai / nginx on the same bytes"
for p in "${PAGES[@]}"; do
  med() { awk -v p="$p" -v w="$1" -v f="$2" '$2==p && $3==w {print $f}' "$res" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  g=$(med gongkai 4); n=$(med nginx 4); e=$(med export 4)
  printf "%-24s gongkai %8s (%s)  nginx %8s (%s)  export+nginx %8s (%s)  ratio %s\n" "$p" \
    "$g" "$(med gongkai 5)" "$n" "$(med nginx 5)" "$e" "$(med export 5)" "$(awk -v a="$g" -v b="$n" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "-"}')"
done
