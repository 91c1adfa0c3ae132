#!/usr/bin/env python3
"""The attacks of issue #15 against a running gateway, on loopback only, each bounded in count and time.

Used by bench/abuse/abuse.sh; standard library only. Every subcommand prints one JSON object (its figures) on
stdout. While an attack runs, a probe thread sends normal chat requests (paced, keep-alive, from 127.0.0.1) and
reports their p50/p99 and errors; the attackers connect from other loopback addresses (127.0.0.2...) so the
per-address connection cap does not count normal clients with them.

  attack.py idle      --port P --count N --hold S        N idle connections held up to S seconds
  attack.py slowloris --port P --count N --hold S        N/2 header drips + N/2 body drips (1 byte/s)
  attack.py uploads   --port P --count N                 N half-sent 4 MB uploads (4,000,000 of 4,000,001 bytes)
  attack.py fuzz      --port P --count N --seed K        N mutated JSON bodies: no 5xx, no stack trace
  attack.py keyecho   --port P --key K                   requests to a deployment whose upstream echoes the key
  attack.py echo-upstream --port P                       that upstream (401 quoting the Authorization header)
  attack.py probe     --port P --seconds S               normal traffic alone (the baseline)
"""
import argparse
import http.client
import http.server
import json
import random
import resource
import selectors
import socket
import statistics
import sys
import threading
import time

HOST = "127.0.0.1"
NORMAL_BODY = json.dumps({"model": "bench", "messages": [{"role": "user", "content": "hello there"}]}).encode()


def pct(values, p):
    if not values:
        return None
    s = sorted(values)
    return round(s[min(len(s) - 1, max(0, int(-(-p * len(s) // 1)) - 1))], 2)


class Probe(threading.Thread):
    """Normal traffic: one keep-alive client, a chat request every `period` s, bounded by `max_requests`."""

    def __init__(self, port, period=0.05, max_requests=20_000):
        super().__init__(daemon=True)
        self.port, self.period, self.max_requests = port, period, max_requests
        self.lat, self.errors, self.stop_at = [], [], None
        self.stopped = threading.Event()

    def run(self):
        conn = None
        nxt = time.monotonic()
        while not self.stopped.is_set() and len(self.lat) + len(self.errors) < self.max_requests:
            t0 = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=10, source_address=(HOST, 0))
                conn.request("POST", "/v1/chat/completions", NORMAL_BODY, {"content-type": "application/json"})
                r = conn.getresponse()
                body = r.read()
                ms = (time.monotonic() - t0) * 1000
                if r.status == 200 and b'"choices"' in body:
                    self.lat.append(ms)
                else:
                    self.errors.append(f"{r.status} {body[:120]!r}")
            except Exception as e:  # noqa: BLE001 - any failure of a normal request is a figure
                self.errors.append(f"{type(e).__name__}: {e}"[:160])
                try:
                    conn.close()
                except Exception:  # noqa: BLE001
                    pass
                conn = None
            nxt = max(nxt + self.period, time.monotonic())
            self.stopped.wait(max(0.0, nxt - time.monotonic()))
        if conn is not None:
            conn.close()

    def finish(self):
        self.stopped.set()
        self.join(15)
        return {"normal_requests": len(self.lat) + len(self.errors), "normal_ok": len(self.lat),
                "normal_p50_ms": pct(self.lat, 0.5), "normal_p99_ms": pct(self.lat, 0.99),
                "normal_max_ms": round(max(self.lat), 2) if self.lat else None,
                "normal_errors": len(self.errors), "normal_error_samples": self.errors[:3]}


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    except (ValueError, OSError):
        pass
    return soft


def addresses(n):
    """Loopback source addresses for attackers: 127.0.0.2 onwards (all of 127/8 is local on Linux)."""
    return [f"127.0.0.{2 + i}" for i in range(n)]


class Held:
    """Many non-blocking sockets on one selector: connect, send a prefix, maybe drip, record when the server closes."""

    def __init__(self, port, sources):
        self.port, self.sources = port, sources
        self.sel = selectors.DefaultSelector()
        self.conns = {}  # sock -> dict
        self.closed_after = {}  # kind -> [seconds]
        self.answers = {}  # kind -> {status line: count}
        self.connect_errors = 0
        self.i = 0
        self.thens = 0  # sockets with a delayed remainder still to send

    def open(self, kind, prefix=b"", drip=None, then=None):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.bind((self.sources[self.i % len(self.sources)], 0))
            self.i += 1
            s.connect_ex((HOST, self.port))
        except OSError:
            self.connect_errors += 1
            s.close()
            return
        # a memoryview: sending part of a 4 MB prefix must not copy the rest each time (and sockets share one buffer)
        c = {"kind": kind, "t0": time.monotonic(), "pending": memoryview(prefix), "drip": drip, "dripped": 0, "head": b"",
             "then": then}
        self.conns[s] = c
        self.thens += 1 if then else 0
        self.sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, c)

    def closed(self, s, c):
        self.sel.unregister(s)
        s.close()
        del self.conns[s]
        self.closed_after.setdefault(c["kind"], []).append(time.monotonic() - c["t0"])
        line = c["head"].split(b"\r\n", 1)[0].decode("latin-1") or "(closed, no answer)"
        a = self.answers.setdefault(c["kind"], {})
        a[line] = a.get(line, 0) + 1

    def pump(self, until, drip_every=1.0, stop_when_all_closed=True):
        next_drip = time.monotonic() + drip_every
        while time.monotonic() < until and (self.conns or not stop_when_all_closed):
            for key, ev in self.sel.select(timeout=0.05):
                s, c = key.fileobj, key.data
                try:
                    if ev & selectors.EVENT_WRITE:
                        if c["pending"]:
                            n = s.send(c["pending"])
                            c["pending"] = c["pending"][n:]
                        if not c["pending"]:
                            self.sel.modify(s, selectors.EVENT_READ, c)
                    if ev & selectors.EVENT_READ:
                        data = s.recv(4096)
                        if not data:
                            self.closed(s, c)
                        elif len(c["head"]) < 64:
                            c["head"] += data
                except (ConnectionError, OSError):
                    if s in self.conns:
                        self.closed(s, c)
            now = time.monotonic()
            for s, c in list(self.conns.items()) if self.thens else ():
                # the rest of an upload, once the headers have been out long enough for a refusal to come back
                if c["then"] and not c["pending"] and now - c["t0"] >= c["then"][0]:
                    c["pending"], c["then"] = memoryview(c["then"][1]), None
                    self.thens -= 1
                    self.sel.modify(s, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
            if now >= next_drip:
                next_drip = now + drip_every
                for s, c in list(self.conns.items()):
                    if c["drip"] and not c["pending"] and c["dripped"] < len(c["drip"]):
                        try:
                            c["dripped"] += s.send(c["drip"][c["dripped"]:c["dripped"] + 1])
                        except (ConnectionError, OSError):
                            self.closed(s, c)

    def close_all(self):
        for s in list(self.conns):
            self.sel.unregister(s)
            s.close()
        self.conns.clear()

    def figures(self, kind):
        after = self.closed_after.get(kind, [])
        return {"closed": len(after), "closed_p50_s": pct(after, 0.5), "closed_p99_s": pct(after, 0.99),
                "closed_max_s": round(max(after), 2) if after else None, "answers": self.answers.get(kind, {})}


def cmd_idle(a):
    limit = raise_fd_limit()
    count = min(a.count, limit - 300)
    probe = Probe(a.port)
    probe.start()
    h = Held(a.port, addresses(1))  # one client address, as in the issue
    t0 = time.monotonic()
    for _ in range(count):
        h.open("idle")
        if len(h.conns) % 500 == 0:
            h.pump(time.monotonic() + 0.01, stop_when_all_closed=False)  # accept answers while connecting
    connect_s = time.monotonic() - t0
    h.pump(time.monotonic() + 5, stop_when_all_closed=False)
    open_after_5s = len(h.conns)
    h.pump(t0 + a.hold)
    out = {"attack": "idle", "fd_soft_limit": limit, "connections": count, "connect_seconds": round(connect_s, 2),
           "connect_errors": h.connect_errors, "open_after_5s": open_after_5s, "still_open_at_end": len(h.conns),
           "held_seconds": round(time.monotonic() - t0, 1), **h.figures("idle")}
    h.close_all()
    out.update(probe.finish())
    print(json.dumps(out))


def cmd_slowloris(a):
    raise_fd_limit()
    probe = Probe(a.port)
    probe.start()
    h = Held(a.port, addresses(2))
    half = a.count // 2
    headers = b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + \
        b"".join(b"X-Pad-%d: %s\r\n" % (i, b"a" * 20) for i in range(40)) + b"Content-Length: 100\r\n\r\n"
    for _ in range(half):
        h.open("header_drip", prefix=b"P", drip=headers[1:])  # headers at one byte a second: never complete in time
    body_head = b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    for _ in range(a.count - half):
        h.open("body_drip", prefix=body_head + b"{", drip=b'"model":"bench"' + b" " * 5000)  # body at 1 byte/s
    t0 = time.monotonic()
    h.pump(t0 + a.hold)
    out = {"attack": "slowloris", "connections": a.count, "connect_errors": h.connect_errors, "still_open_at_end": len(h.conns),
           "held_seconds": round(time.monotonic() - t0, 1), "header_drip": h.figures("header_drip"),
           "body_drip": h.figures("body_drip")}
    h.close_all()
    out.update(probe.finish())
    print(json.dumps(out))


def cmd_uploads(a):
    raise_fd_limit()
    probe = Probe(a.port)
    probe.start()
    h = Held(a.port, addresses(1))
    head = b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4000001\r\n\r\n"
    start = b'{"model":"bench","messages":[{"role":"user","content":"'
    body = start + b"x" * (4_000_000 - len(start))
    # The gateway decides on the headers alone (the body budget): the body follows 0.2 s later, so a 503 refusal is
    # read before the upload's own bytes make the close a reset. All bodies are sent at once after that.
    for _ in range(a.count):
        h.open("upload", prefix=head, then=(0.2, body))
    t0 = time.monotonic()
    h.pump(t0 + a.hold)
    out = {"attack": "uploads", "connections": a.count, "declared_bytes": 4_000_001, "sent_bytes": len(body),
           "connect_errors": h.connect_errors, "still_open_at_end": len(h.conns), "held_seconds": round(time.monotonic() - t0, 1),
           **h.figures("upload")}
    h.close_all()
    out.update(probe.finish())
    print(json.dumps(out))


STACK_MARKERS = ("Exception", "\tat ", "at dev.", "at io.", "java.", "Caused by")


def mutate(rng, base):
    """One mutated body: byte flips, cuts, inserted junk, type swaps, nesting, bad UTF-8, numbers, duplicates."""
    b = bytearray(base)
    op = rng.randrange(14)
    if op == 0:
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif op == 1:
        b = b[:rng.randrange(len(b))]
    elif op == 2:
        i = rng.randrange(len(b))
        b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 32)))
    elif op == 3:
        i = rng.randrange(len(b))
        del b[i:i + rng.randint(1, 20)]
    elif op == 4:
        d = json.loads(base)
        d[rng.choice(["model", "messages", "stream", "temperature", "max_tokens", "n", "tools", "stop"])] = rng.choice(
            [None, 1, -1, 1e308, "x", [], {}, True, [1, 2], {"a": None}, "\u0000", 2 ** 70])
        b = bytearray(json.dumps(d).encode())
    elif op == 5:
        depth = rng.choice([10, 100, 1000, 5000])
        b = bytearray(b'{"model":"bench","messages":' + b"[" * depth + b"]" * depth + b"}")
    elif op == 6:
        bad = rng.choice([b"\xc0\xaf", b"\xed\xa0\x80", b"\xff", b"\xe2\x82", b"\xf4\x90\x80\x80", b"\x80"])
        b = bytearray(base.replace(b"hello", b"hel" + bad + b"lo"))
    elif op == 7:
        d = json.loads(base)
        d["messages"][0]["content"] = rng.choice([None, 5, [], [{"type": "text"}], [{"type": "image_url", "image_url": 3}], {"x": 1}])
        b = bytearray(json.dumps(d).encode())
    elif op == 8:
        d = json.loads(base)
        d["messages"][0]["role"] = rng.choice(["", "system", "tool", "function", "x" * 300, None, 7])
        b = bytearray(json.dumps(d).encode())
    elif op == 9:
        b = bytearray(base[:-1] + b',"model":"other","model":' + rng.choice([b"1", b"null", b'"bench"']) + b"}")
    elif op == 10:
        b = bytearray(rng.choice([b"", b"null", b"[]", b"1", b'"s"', b"{}", b"{" * 50, b"\x00" * 10, b"\xef\xbb\xbf{}", b"{'a':1}"]))
    elif op == 11:
        d = json.loads(base)
        d["messages"] = [{"role": "user", "content": "x"}] * rng.choice([0, 1, 500, 5000])
        b = bytearray(json.dumps(d).encode())
    elif op == 12:
        b = bytearray(base.replace(b"hello", rng.choice([b"\\ud800", b"\\u", b"\\uZZZZ", b"\\x41", b"\\", b"\\udc00\\ud800"])))
    else:
        d = json.loads(base)
        d[rng.choice(["max_tokens", "temperature", "top_p", "n"])] = rng.choice(["1e999", -1e999, 1e-400, "NaN", 10 ** 30])
        b = bytearray(json.dumps(d).encode().replace(b'"1e999"', b"1e999").replace(b'"NaN"', b"NaN"))
    return bytes(b)


def cmd_fuzz(a):
    rng = random.Random(a.seed)
    probe = Probe(a.port)
    probe.start()
    base = json.dumps({"model": "bench", "stream": False, "max_tokens": 16, "temperature": 0.5,
                       "messages": [{"role": "user", "content": "hello there"}]}).encode()
    statuses, five, stack, conn_errors, samples, upstream_stream = {}, 0, 0, 0, [], 0
    conn = None
    t0 = time.monotonic()
    deadline = t0 + a.seconds
    sent = 0
    for i in range(a.count):
        if time.monotonic() > deadline:
            break
        body = mutate(rng, base)
        ctype = rng.choice(["application/json"] * 8 + ["text/plain", "application/x-www-form-urlencoded"])
        try:
            for attempt in (0, 1):  # a kept-alive connection the gateway closed after its last answer: once more on a new one
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(HOST, a.port, timeout=30, source_address=("127.0.0.2", 0))
                    conn.request("POST", "/v1/chat/completions", body, {"content-type": ctype})
                    r = conn.getresponse()
                    break
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                    conn.close()
                    conn = None
                    if attempt:
                        raise
            text = r.read().decode("utf-8", "replace")
            statuses[r.status] = statuses.get(r.status, 0) + 1
            if r.status == 502 and "invalid_response" in text:
                # a mutation turned streaming on: the fixed-answer upstream answers JSON, not SSE, and the gateway says so
                upstream_stream += 1
            elif r.status >= 500:
                five += 1
                if len(samples) < 5:
                    samples.append({"status": r.status, "body": text[:200], "request": body[:120].decode("latin-1")})
            if any(m in text for m in STACK_MARKERS):
                stack += 1
                if len(samples) < 5:
                    samples.append({"stack_trace_in": text[:200]})
            if r.getheader("connection", "").lower() == "close":
                conn.close()
                conn = None
        except Exception as e:  # noqa: BLE001
            conn_errors += 1
            if len(samples) < 5:
                samples.append({"error": f"{type(e).__name__}: {e}"[:160], "request": body[:120].decode("latin-1")})
            try:
                conn.close()
            except Exception:  # noqa: BLE001
                pass
            conn = None
        sent += 1
    out = {"attack": "fuzz", "bodies": sent, "seed": a.seed, "seconds": round(time.monotonic() - t0, 1),
           "statuses": {str(k): v for k, v in sorted(statuses.items())}, "responses_5xx": five, "upstream_cannot_stream_502": upstream_stream,
           "responses_with_stack_trace": stack, "connection_errors": conn_errors, "samples": samples}
    out.update(probe.finish())
    print(json.dumps(out))


def cmd_keyecho(a):
    key = a.key
    tails = {key, key[-12:], key[3:15]}
    leaks, statuses, n = [], {}, 0
    for stream in (False, True):
        # streamed, the fallback would reach the fixed-answer upstream, which cannot stream (and would open its circuit)
        for model in ("echo", "echo-only") if stream else ("echo", "echo-then-ok", "echo-only"):
            for _ in range(a.count):
                conn = http.client.HTTPConnection(HOST, a.port, timeout=30)
                body = json.dumps({"model": model, "stream": stream, "messages": [{"role": "user", "content": "hi"}]})
                conn.request("POST", "/v1/chat/completions", body, {"content-type": "application/json"})
                r = conn.getresponse()
                text = r.read().decode("utf-8", "replace") + "".join(f"{k}: {v}\n" for k, v in r.getheaders())
                conn.close()
                n += 1
                statuses[f"{model}{' stream' if stream else ''} {r.status}"] = statuses.get(f"{model}{' stream' if stream else ''} {r.status}", 0) + 1
                if any(t in text for t in tails):
                    leaks.append({"model": model, "stream": stream, "status": r.status})
    print(json.dumps({"attack": "keyecho", "requests": n, "statuses": statuses, "responses_with_key": len(leaks),
                      "leak_samples": leaks[:3]}))


def cmd_echo_upstream(a):
    class H(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("content-length", 0)))
            got = self.headers.get("authorization", "")
            body = json.dumps({"error": {"message": f"Incorrect API key provided: {got}. You can find your API key at "
                                         f"https://platform.openai.com/account/api-keys.", "type": "invalid_request_error",
                                         "param": None, "code": "invalid_api_key"}}).encode()
            self.send_response(401)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer((HOST, a.port), H).serve_forever()


def cmd_probe(a):
    probe = Probe(a.port)
    probe.start()
    time.sleep(a.seconds)
    print(json.dumps({"attack": "none", **probe.finish()}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cmd")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--hold", type=float, default=30)
    p.add_argument("--seconds", type=float, default=120)
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--key", default="")
    a = p.parse_args()
    {"idle": cmd_idle, "slowloris": cmd_slowloris, "uploads": cmd_uploads, "fuzz": cmd_fuzz, "keyecho": cmd_keyecho,
     "echo-upstream": cmd_echo_upstream, "probe": cmd_probe}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
