# Sourced by bench/routing*.sh: wrk and the jar on hand, then `./switchboard serve` on the embedded
# defaults (no request log, a fresh data dir) on $PORT, waited for and stopped on exit.
# Sets ROOT (the repository), PID (the launcher) and LOG (its output); extra serve arguments: the
# array SERVE_ARGS.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cd "$ROOT"
[[ -f switchboard-cli/target/switchboard.jar ]] || mvn -B -q -DskipTests package
LOG="$(mktemp)"
SWITCHBOARD_JAVA_OPTS="-XX:+UseParallelGC -Xms1g -Xmx2g" ./switchboard serve --port "$PORT" --no-request-log --data-dir "$(mktemp -d)" "${SERVE_ARGS[@]}" >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$LOG"; exit 1; }
