# nginx.sh: docs/examples/nginx.conf run by nginx on a loopback port, as whoever runs the tests,
# with every file it writes under $T/nginx. Source it after lib.sh; needs nginx (Debian package
# `nginx`, which scripts/install-deps.sh installs).

# nginx_start PUBLIC_DIR [CONF]: serves the folder with the example config (or CONF, made from
# it), its `root` and `listen` lines replaced; sets NGINX_URL (http://127.0.0.1:PORT). Fails the
# test and exits when nginx is missing, rejects the config or does not answer.
nginx_start() {
	N=$T/nginx
	mkdir -p "$N/logs"
	NGINX=$(command -v nginx || echo /usr/sbin/nginx)
	if [ ! -x "$NGINX" ]; then
		fail "nginx is installed (scripts/install-deps.sh installs it)"
		finish
		exit 1
	fi
	PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	NGINX_URL=http://127.0.0.1:$PORT
	# The example as published, but for where it serves from and which port it listens on.
	sed -e "s|^\( *root \)/srv/satchel/public;|\1$1;|" \
		-e "s|^\( *listen \)80;|\1127.0.0.1:$PORT;|" \
		-e '/listen \[::\]:80;/d' "${2:-$ROOT/docs/examples/nginx.conf}" >"$N/site.conf"
	# Run as root (a container, CI), nginx's workers would drop to "nobody" and could not read
	# the test's private folder: they stay root.
	user=""
	[ "$(id -u)" = 0 ] && user="user root root;"
	cat >"$N/nginx.conf" <<EOF
$user
worker_processes 1;
pid $N/nginx.pid;
error_log $N/logs/error.log warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $N/logs/access.log;
    client_body_temp_path $N/body;
    proxy_temp_path $N/proxy;
    fastcgi_temp_path $N/fastcgi;
    uwsgi_temp_path $N/uwsgi;
    scgi_temp_path $N/scgi;
    include $N/site.conf;
}
EOF
	if "$NGINX" -t -p "$N" -e "$N/logs/error.log" -c "$N/nginx.conf" >"$N/t.log" 2>&1; then
		ok "nginx -t accepts docs/examples/nginx.conf"
	else
		cat "$N/t.log"
		fail "nginx -t accepts docs/examples/nginx.conf"
		finish
		exit 1
	fi
	if grep -E '\[(warn|emerg|alert|crit|error)\]' "$N/t.log" >/dev/null; then
		fail "nginx -t has no warning ($(grep -E '\[warn' "$N/t.log" | head -n 3))"
	else
		ok "nginx -t has no warning"
	fi
	"$NGINX" -p "$N" -e "$N/logs/error.log" -c "$N/nginx.conf"
	trap 'nginx_stop; rm -rf "$T"' EXIT
	i=0
	until curl -s -o /dev/null "$NGINX_URL/" || [ $i -ge 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ $i -ge 50 ]; then
		cat "$N/logs/error.log"
		fail "nginx answers on $NGINX_URL"
		finish
		exit 1
	fi
}

nginx_stop() {
	if [ -s "$T/nginx/nginx.pid" ]; then
		kill "$(cat "$T/nginx/nginx.pid")" 2>/dev/null
		i=0
		while [ -s "$T/nginx/nginx.pid" ] && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
}
