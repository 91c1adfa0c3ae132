#!/usr/bin/env python3
"""An OTLP/HTTP trace sink on loopback for bench/observe.sh: accepts POST /v1/traces, answers 200 with an empty
ExportTraceServiceResponse (zero bytes of protobuf), counts requests and bytes. Exits after MAX_SECONDS."""
import http.server
import sys
import threading

PORT = int(sys.argv[1])
MAX_SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3600
stats = {"requests": 0, "bytes": 0}
lock = threading.Lock()


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        n = int(self.headers.get("content-length", "0"))
        self.rfile.read(n)
        with lock:
            stats["requests"] += 1
            stats["bytes"] += n
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def do_GET(self):  # /stats for the script
        body = ("%d %d\n" % (stats["requests"], stats["bytes"])).encode()
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Sink)
threading.Timer(MAX_SECONDS, server.shutdown).start()
server.serve_forever()
