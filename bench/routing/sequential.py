#!/usr/bin/env python3
"""One keep-alive connection, one request at a time, every latency recorded (no sampling, no
load generator competing for the cores like wrk at full speed). A fresh prompt per request
(classifier cache miss), the same prompt shape as bench/routing/chat.lua: random words of
bench/words.txt, one token each.

Usage (from the repository root): bench/routing/sequential.py [port=8080] [words=244] [seconds=10] [model=auto]
Prints p50/p90/p99 and every request slower than 20 ms with its routing-fallback header."""
import http.client
import json
import random
import sys
import time

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
words = int(sys.argv[2]) if len(sys.argv) > 2 else 244
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10
model = sys.argv[4] if len(sys.argv) > 4 else "auto"
with open("bench/words.txt") as f:
    vocab = [w.strip() for w in f if w.strip() and not w.startswith("#")]
rng = random.Random(12345)
text = " ".join(rng.choice(vocab) for _ in range(words))
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
run = time.time_ns()
latencies, slow = [], []
end = time.monotonic() + seconds
n = 0
while time.monotonic() < end:  # bounded in time
    n += 1
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": f"request {run}-{n}: {text}"}]})
    t0 = time.perf_counter()
    conn.request("POST", "/v1/chat/completions", body, {"content-type": "application/json"})
    resp = conn.getresponse()
    resp.read()
    ms = (time.perf_counter() - t0) * 1000
    latencies.append(ms)
    if ms > 20:
        slow.append((round(time.monotonic() - end + seconds, 3), round(ms, 1), resp.getheader("x-switchboard-routing-fallback")))
latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))]
print(f"requests {len(latencies)} ({len(latencies) / seconds:.0f}/s) p50 {pct(0.5):.3f} p90 {pct(0.9):.3f} p99 {pct(0.99):.3f} max {latencies[-1]:.1f} ms; slower than 20 ms: {len(slow)}")
for s in slow:
    print(f"  at {s[0]:7.3f} s: {s[1]} ms, fallback {s[2]}")
