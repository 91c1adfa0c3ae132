#!/usr/bin/env bash
# Abuse benchmark (issue #15): replays the hostile-client attacks of the hardening issue against `./switchboard serve`
# on loopback and writes what the gateway withstood to bench/results/abuse-<date>.md. One gateway, default server
# limits (docs/configuration.md) plus a health port, the request log on the embedded broker, the same fixed-answer
# nginx upstream as bench/gateway.sh, and a Python upstream that answers 401 quoting the API key it was sent.
# Attacks, one after another, each bounded in count and time (bench/abuse/attack.py):
#   idle       IDLE connections (default 20,000, or what the fd limit allows) from one address, held up to IDLE_HOLD s
#   slowloris  SLOW connections: half drip their headers at 1 byte/s, half their body, held up to SLOW_HOLD s
#   uploads    UPLOADS connections each sending 4,000,000 of a declared 4,000,001 bytes, then stalling
#   fuzz       FUZZ mutated JSON bodies (seed FUZZ_SEED): no 5xx, no stack trace
#   keyecho    requests to deployments whose upstream echoes the key in its error: the client never sees it
# During each, a probe sends a normal chat request every 50 ms from 127.0.0.1 and records p50/p99 and errors; RSS of
# the gateway before, at peak and after, and its heap after a full GC (jcmd GC.run) after each attack.
#
# Usage (from anywhere): bench/abuse/abuse.sh
#   IDLE=20000 IDLE_HOLD=70 SLOW=1000 SLOW_HOLD=70 UPLOADS=300 UPLOAD_HOLD=20 FUZZ=7000 FUZZ_SEED=15 bench/abuse/abuse.sh
#   OUT=bench/results/abuse-YYYY-MM-DD.md (default: abuse-<date>.md); SWITCHBOARD_BIN=/path/to/switchboard
# Every process started here is killed on exit. The caller holds /tmp/bench.lock (the shared-machine rule).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
IDLE=${IDLE:-20000}
IDLE_HOLD=${IDLE_HOLD:-70}
SLOW=${SLOW:-1000}
SLOW_HOLD=${SLOW_HOLD:-70}
UPLOADS=${UPLOADS:-300}
UPLOAD_HOLD=${UPLOAD_HOLD:-20}
FUZZ=${FUZZ:-7000}
FUZZ_SEED=${FUZZ_SEED:-15}
BASELINE=${BASELINE:-15}
SWITCHBOARD_BIN=${SWITCHBOARD_BIN:-./switchboard}
NGINX_PORT=${NGINX_PORT:-18290}
GW_PORT=${GW_PORT:-18291}
HEALTH_PORT=${HEALTH_PORT:-18292}
ECHO_PORT=${ECHO_PORT:-18293}
KAFKA_PORT=${KAFKA_PORT:-18294}
OUT=${OUT:-bench/results/abuse-$(date -u +%F).md}
ATTACK="python3 $ROOT/bench/abuse/attack.py"

need() { command -v "$1" >/dev/null 2>&1; }
for c in nginx curl python3 jcmd; do need "$c" || { echo "abuse.sh needs $c" >&2; exit 1; }; done
if [[ ! -f switchboard-cli/target/switchboard.jar || ! -d switchboard-cli/target/lib ]]; then
  echo "building switchboard.jar..." >&2
  mvn -B -q -o -DskipTests package >&2
fi

TMP="$(mktemp -d /tmp/sb-abuse.XXXXXX)"
NGINX_PID="" ECHO_PID="" GW_PID="" SAMPLER_PID=""
stop_pid() { # TERM, up to 30 s to exit, then KILL; never an unbounded wait
  [[ -n "$1" ]] || return 0
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 60); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  stop_pid "$SAMPLER_PID"
  stop_pid "$GW_PID"
  stop_pid "$ECHO_PID"
  stop_pid "$NGINX_PID"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- upstreams
source "$ROOT/bench/lib/answer-nginx.sh"
answer_nginx_start "$TMP/nginx" "$NGINX_PORT"
$ATTACK echo-upstream --port "$ECHO_PORT" >"$TMP/echo.out" 2>&1 &
ECHO_PID=$!

# ---------------------------------------------------------------- gateway
# The upstream key the echo upstream quotes back: random per run, never printed.
export ABUSE_UPSTREAM_KEY="sk-abuse-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cat > "$TMP/gateway.yaml" <<EOF
server: { host: 127.0.0.1, port: $GW_PORT, health_port: $HEALTH_PORT }
resilience: { backoff_base_ms: 1, backoff_max_ms: 5 }
deployments:
  - { name: bench, provider: openai, base_url: "http://127.0.0.1:$NGINX_PORT/v1", model: gpt-4o-mini }
  - { name: echo, provider: openai, base_url: "http://127.0.0.1:$ECHO_PORT/v1", model: gpt-4o-mini, api_key_env: ABUSE_UPSTREAM_KEY, max_retries: 0 }
  - { name: echo-b, provider: openai, base_url: "http://127.0.0.1:$ECHO_PORT/v1", model: gpt-4o-mini, api_key_env: ABUSE_UPSTREAM_KEY, max_retries: 0 }
routes:
  - { alias: echo-then-ok, deployments: [echo, bench] }
  - { alias: echo-only, deployments: [echo, echo-b] }
EOF
GW_CMD=("$SWITCHBOARD_BIN" serve --config "$TMP/gateway.yaml" --data-dir "$TMP/data" --kafka-port "$KAFKA_PORT")
"${GW_CMD[@]}" >"$TMP/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "http://127.0.0.1:$HEALTH_PORT/readyz" && break
  kill -0 "$GW_PID" 2>/dev/null || { echo "gateway exited:" >&2; tail -30 "$TMP/gateway.log" >&2; exit 1; }
  sleep 0.5
done
JAVA_PID=$GW_PID  # the launcher execs java
# JIT warm-up of the normal path
$ATTACK probe --port "$GW_PORT" --seconds 10 >/dev/null

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$JAVA_PID/status"; }
fds() { ls "/proc/$JAVA_PID/fd" 2>/dev/null | wc -l; }
heap_after_gc_mb() { # used heap after a full collection, MiB
  jcmd "$JAVA_PID" GC.run >/dev/null 2>&1 || true
  jcmd "$JAVA_PID" GC.heap_info 2>/dev/null | awk '
    /total [0-9]+K, used [0-9]+K/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); u += v } }
    END { printf "%.0f", u / 1024 }'
}
sample_peak() { # background: peak RSS (kB) and fds of the gateway into $1, once a second, bounded
  local f=$1 peak=0 pf=0
  for _ in $(seq 1 600); do
    local r f2
    r=$(rss_kb 2>/dev/null || echo 0); f2=$(fds)
    (( r > peak )) && peak=$r
    (( f2 > pf )) && pf=$f2
    echo "$peak $pf" > "$f"
    sleep 1
  done
}
load1() { cut -d' ' -f1 /proc/loadavg; }
health_ok() { curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 "http://127.0.0.1:$HEALTH_PORT/healthz" || echo "failed"; }

ROWS="$TMP/rows.jsonl"
: > "$ROWS"
phase() { # name, then the attack.py arguments
  local name=$1; shift
  echo "== $name" >&2
  local rss0 heap0 ld t0 t1
  rss0=$(rss_kb); heap0=$(heap_after_gc_mb); ld=$(load1); t0=$(date +%s)
  sample_peak "$TMP/peak-$name" >/dev/null 2>&1 &
  SAMPLER_PID=$!
  # health port checks during the attack, bounded
  ( for i in 1 2 3 4 5 6 7 8 9; do sleep 8; echo "$(health_ok)"; done > "$TMP/health-$name" 2>/dev/null ) &
  local hp=$!
  # Uploads: the heap after a full GC while the admitted ones are held (1.5 s in; they are cut 2-6 s in). The forced
  # collection's pause falls into that phase's normal latencies.
  local hd=""
  : > "$TMP/heapduring-$name"
  if [[ $name == uploads ]]; then ( sleep 1.5; heap_after_gc_mb > "$TMP/heapduring-$name" ) & hd=$!; fi
  $ATTACK "$@" --port "$GW_PORT" > "$TMP/out-$name.json"
  [[ -n "$hd" ]] && { wait "$hd" 2>/dev/null || true; }
  t1=$(date +%s)
  stop_pid "$SAMPLER_PID"; SAMPLER_PID=""
  stop_pid "$hp"
  local rss1 heap1 peak pfd
  rss1=$(rss_kb); heap1=$(heap_after_gc_mb)
  read -r peak pfd < "$TMP/peak-$name" || true
  python3 - "$name" "$rss0" "$peak" "$rss1" "$heap0" "$heap1" "$ld" "$(load1)" "$((t1 - t0))" "${pfd:-0}" "$TMP/out-$name.json" \
    "$TMP/health-$name" "$(cat "$TMP/heapduring-$name")" >> "$ROWS" <<'EOF'
import json, sys
name, rss0, peak, rss1, heap0, heap1, ld0, ld1, secs, pfd, out, health, heapd = sys.argv[1:]
d = json.load(open(out))
h = [l.split() for l in open(health).read().splitlines() if l.strip()]
d.update({"phase": name, "rss_before_mb": int(rss0) // 1024, "rss_peak_mb": int(peak or 0) // 1024, "rss_after_mb": int(rss1) // 1024,
          "heap_after_gc_before_mb": int(heap0 or 0), "heap_after_gc_after_mb": int(heap1 or 0),
          "heap_after_gc_during_mb": int(heapd) if heapd else None, "load_before": ld0, "load_after": ld1,
          "seconds": int(secs), "gateway_fds_peak": int(pfd),
          "healthz_during": [f"{x[0]} in {float(x[1]) * 1000:.0f} ms" if len(x) == 2 else x[0] for x in h]})
print(json.dumps(d))
EOF
  echo "   $(tail -1 "$ROWS" | cut -c1-400)" >&2
}

UPTIME_START=$(uptime)
phase baseline probe --seconds "$BASELINE"
phase idle idle --count "$IDLE" --hold "$IDLE_HOLD"
phase slowloris slowloris --count "$SLOW" --hold "$SLOW_HOLD"
phase uploads uploads --count "$UPLOADS" --hold "$UPLOAD_HOLD"
phase fuzz fuzz --count "$FUZZ" --seed "$FUZZ_SEED" --seconds 300
phase keyecho keyecho --count 20 --key "$ABUSE_UPSTREAM_KEY"
UPTIME_END=$(uptime)
LOG_KEY_HITS=$(grep -c -F "$ABUSE_UPSTREAM_KEY" "$TMP/gateway.log" || true)
LOG_KEY_TAIL_HITS=$(grep -c -F "${ABUSE_UPSTREAM_KEY: -12}" "$TMP/gateway.log" || true)
LOG_STACKS=$(grep -c -E '^\s+at [a-z]' "$TMP/gateway.log" || true)
LOG_ERRORS=$(grep -c -E ' ERROR ' "$TMP/gateway.log" || true)
LOG_OOM=$(grep -c 'OutOfMemoryError' "$TMP/gateway.log" || true)
ALIVE=$(kill -0 "$GW_PID" 2>/dev/null && echo yes || echo no)
FINAL=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST -H 'content-type: application/json' \
  -d '{"model":"bench","messages":[{"role":"user","content":"still there?"}]}' "http://127.0.0.1:$GW_PORT/v1/chat/completions" || echo failed)

# ---------------------------------------------------------------- report
mkdir -p "$(dirname "$OUT")"
python3 - "$ROWS" > "$OUT" <<EOF
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {r["phase"]: r for r in rows}
def f(v): return "-" if v is None else v
print("# Abuse benchmark ($(date -u +%F))")
print()
print("Generated by \`bench/abuse/abuse.sh\` at $(date -u '+%F %H:%M UTC'): the attacks of issue #15 against one \`switchboard serve\`")
print("(default server limits: idle 60 s, request read 30 s, 10,000 connections, 1,000 per address, 256 MiB of request bodies in")
print("flight, bodies slower than 1,024 B/s cut; a health port; the request log on the embedded broker), on loopback only. A probe")
print("sends one normal chat request every 50 ms from 127.0.0.1 throughout each attack; the attackers connect from 127.0.0.2+.")
print("Upstream: nginx with a fixed answer (bench/gateway.sh's); the key-echo upstream is bench/abuse/attack.py's.")
print()
print("## Machine")
print()
print("- CPU (lscpu): $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'); $(nproc) cores; kernel $(uname -r); fd limit (ulimit -n) $(ulimit -n)")
print("- java: $(java -version 2>&1 | head -1 | tr -d '"')")
print("- launcher JVM options: \`${SWITCHBOARD_JAVA_OPTS:-default (-XX:+UseParallelGC -Xms512m -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError)}\`; memory $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)")
print("- uptime (load average) at start: \`$UPTIME_START\`")
print("- uptime (load average) at end: \`$UPTIME_END\`")
print("- The 2 cores are shared by the attacker, nginx, the gateway (with its broker) and other engineers' work.")
print()
print("## Normal traffic and memory during each attack")
print()
print("| phase | seconds | normal requests | errors | p50 ms | p99 ms | max ms | RSS before / peak / after MiB | heap after GC before / (during) / after MiB | gateway fds peak | /healthz (health port) during | load before → after |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['phase']} | {r['seconds']} | {f(r.get('normal_requests'))} | {f(r.get('normal_errors'))} | {f(r.get('normal_p50_ms'))} | {f(r.get('normal_p99_ms'))} | {f(r.get('normal_max_ms'))} | {r['rss_before_mb']} / {r['rss_peak_mb']} / {r['rss_after_mb']} | {r['heap_after_gc_before_mb']} / {'(' + str(r['heap_after_gc_during_mb']) + ') / ' if r.get('heap_after_gc_during_mb') is not None else ''}{r['heap_after_gc_after_mb']} | {r['gateway_fds_peak']} | {', '.join(r['healthz_during']) or '-'} | {r['load_before']} → {r['load_after']} |")
print()
print("## What each attack got")
print()
i = by.get("idle")
if i:
    print(f"**Idle flood**: {i['connections']} connections from 127.0.0.2 (fd limit {i['fd_soft_limit']}), all connected in {i['connect_seconds']} s ({i['connect_errors']} connect errors).")
    print(f"Closed by the gateway: {i['closed']} — median {f(i['closed_p50_s'])} s after connecting, p99 {f(i['closed_p99_s'])} s, last {f(i['closed_max_s'])} s;")
    print(f"{i['open_after_5s']} still open 5 s in (the per-address cap), {i['still_open_at_end']} at the end of the {i['held_seconds']} s hold. What they got: {i['answers']}.")
    print()
s = by.get("slowloris")
if s:
    for k, label in (("header_drip", "headers dripped at 1 byte/s"), ("body_drip", "body dripped at 1 byte/s")):
        x = s[k]
        print(f"**Slowloris, {label}**: {x['closed']} of {s['connections'] // 2} closed — median {f(x['closed_p50_s'])} s, p99 {f(x['closed_p99_s'])} s, last {f(x['closed_max_s'])} s; answers {x['answers']}.")
    print(f"{s['still_open_at_end']} still open at the end of the {s['held_seconds']} s hold. Incomplete headers are timed by server.idle_timeout_ms")
    print("(60 s by default: a request begins when its headers are complete); a begun body by the minimum rate (1,024 B/s over 2 s windows).")
    print()
u = by.get("uploads")
if u:
    print(f"**Half-sent uploads**: {u['connections']} connections each declaring {u['declared_bytes']:,} bytes and sending {u['sent_bytes']:,}.")
    print(f"Closed: {u['closed']} — median {f(u['closed_p50_s'])} s, p99 {f(u['closed_p99_s'])} s, last {f(u['closed_max_s'])} s; answers {u['answers']};")
    print(f"{u['still_open_at_end']} still open after {u['held_seconds']} s. Gateway heap after a full GC: {u['heap_after_gc_before_mb']} MiB before, **{f(u.get('heap_after_gc_during_mb'))} MiB 1.5 s in, while the admitted uploads were held**, {u['heap_after_gc_after_mb']} MiB after; RSS peak {u['rss_peak_mb']} MiB (the heap's committed size grows; the JVM keeps it). The forced collection's pause is among this phase's normal latencies.")
    print()
z = by.get("fuzz")
if z:
    print(f"**Fuzz**: {z['bodies']} mutated bodies (seed {z['seed']}) in {z['seconds']} s: statuses {z['statuses']}; **{z['responses_5xx']} 5xx from the gateway, {z['responses_with_stack_trace']} with a stack trace**, {z['connection_errors']} connection errors; {z['upstream_cannot_stream_502']} were 502 \`invalid_response\` for mutations that turned \`stream\` on (the fixed-answer upstream answers JSON, not SSE: the gateway's correct answer), counted apart.")
    if z["samples"]:
        print(f"Samples: \`{json.dumps(z['samples'])[:600]}\`")
    print()
k = by.get("keyecho")
if k:
    print(f"**Upstream echoing the key**: {k['requests']} requests (a lone deployment → upstream_rejected, plain and streamed; a fallback to a healthy one; two echoing deployments → all_upstreams_failed, plain and streamed): statuses {k['statuses']}; **{k['responses_with_key']} responses contained the key** (whole, or its first or last 12 characters).")
    print()
print("## Gateway log and end state")
print()
print(f"- lines with the upstream key: $LOG_KEY_HITS (its last 12 characters: $LOG_KEY_TAIL_HITS); stack-trace lines: $LOG_STACKS; ERROR lines: $LOG_ERRORS; OutOfMemoryError: $LOG_OOM")
print(f"- gateway alive at the end: $ALIVE; a normal request after every attack: HTTP $FINAL")
print("- Not checked here: the request-log topic's content (its batches are lz4-compressed); the scrubbing tests of the suite cover it.")
print()
print("## Commands")
print()
print("\`\`\`")
print("IDLE=$IDLE IDLE_HOLD=$IDLE_HOLD SLOW=$SLOW SLOW_HOLD=$SLOW_HOLD UPLOADS=$UPLOADS UPLOAD_HOLD=$UPLOAD_HOLD FUZZ=$FUZZ FUZZ_SEED=$FUZZ_SEED bench/abuse/abuse.sh")
print("./switchboard serve --config \$TMP/gateway.yaml --data-dir \$TMP/data --kafka-port $KAFKA_PORT")
print("\`\`\`")
print()
print("Gateway config (\`ABUSE_UPSTREAM_KEY\`: a random key per run, never printed):")
print()
print("\`\`\`yaml")
print(open("$TMP/gateway.yaml").read().rstrip())
print("\`\`\`")
EOF
echo "wrote $OUT" >&2
