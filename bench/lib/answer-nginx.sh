# Sourced by bench scripts: a one-worker nginx on loopback that answers POST /v1/chat/completions with the fixed
# chat.completion of bench/gateway/completion.json, the upstream every gateway benchmark measures against.
# answer_nginx_start DIR PORT: writes DIR/nginx.conf, starts nginx in the background (NGINX_PID), waits until it
# answers (at most 5 s). The caller kills $NGINX_PID on exit.
answer_nginx_start() {
  local dir=$1 port=$2 answer
  answer="$(tr -d '\n' < "$(dirname "${BASH_SOURCE[0]}")/../gateway/completion.json")"
  mkdir -p "$dir/logs" "$dir/tmp"
  chmod -R 777 "$dir/tmp"
  cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$port;
    location = /v1/chat/completions {
      default_type application/json;
      return 200 '$answer';
    }
  }
}
CONF
  nginx -p "$dir" -c "$dir/nginx.conf" >"$dir/nginx.out" 2>&1 &
  NGINX_PID=$!
  for _ in $(seq 1 50); do curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/v1/chat/completions" && break; sleep 0.1; done
}
