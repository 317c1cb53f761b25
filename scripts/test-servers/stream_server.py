#!/usr/bin/env python3
"""A scripted X API v2 filtered-stream server for the listener's integration tests.

Real HTTP over loopback (http.server, HTTP/1.1 chunked, optional gzip), standard
library only. Usage: stream_server.py SCENARIO.json — prints "PORT <n>" once listening.

Scenario keys (all optional):
  token        expected bearer token (default "test-token"); others get 401
  rules        initial server rules: [{"id","value","tag"?}]
  connections  one entry per stream request, in order:
               {"status": 200, "headers": {…}, "body": "…" (non-200),
                "gzip": false, "chunks": ["raw text", …] (sent as written, so a
                chunk may end inside a message or inside a UTF-8 sequence),
                "split_bytes": n (re-split the concatenated chunks every n bytes),
                "stall": seconds (send nothing, then close),
                "end": "close" | "abort" (no terminating chunk) | "hold" (keep
                sending heartbeats until the client leaves)}
               After the list is used up, further stream requests get "hold".
GET /_requests returns what was asked so far (method, path, query, authorized).
"""
import gzip as _gzip
import json
import signal
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

STATE = {"lock": threading.Lock(), "requests": [], "rules": [], "next_id": 1000, "connection": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    scenario = {}

    def log_message(self, *args):
        pass

    def record(self, authorized):
        url = urlparse(self.path)
        with STATE["lock"]:
            STATE["requests"].append({
                "method": self.command, "path": url.path, "query": parse_qs(url.query),
                "authorized": authorized, "user_agent": self.headers.get("User-Agent", ""),
            })

    def authorized(self):
        return self.headers.get("Authorization") == "Bearer " + self.scenario.get("token", "test-token")

    def send_json(self, status, payload, headers=None):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/_requests":
            with STATE["lock"]:
                return self.send_json(200, STATE["requests"])
        ok = self.authorized()
        self.record(ok)
        if not ok:
            return self.send_json(401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})
        if url.path == "/2/tweets/search/stream/rules":
            with STATE["lock"]:
                rules = list(STATE["rules"])
            return self.send_json(200, {"data": rules, "meta": {"result_count": len(rules)}} if rules else {"meta": {"result_count": 0}})
        if url.path == "/2/tweets/search/stream":
            return self.stream()
        self.send_json(404, {"title": "Not Found"})

    def do_POST(self):
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length", "0"))
        payload = json.loads(self.rfile.read(length) or b"{}")
        ok = self.authorized()
        self.record(ok)
        if not ok:
            return self.send_json(401, {"title": "Unauthorized", "status": 401})
        if url.path != "/2/tweets/search/stream/rules":
            return self.send_json(404, {"title": "Not Found"})
        dry_run = parse_qs(url.query).get("dry_run") == ["true"]
        with STATE["lock"]:
            if "add" in payload:
                added, errors = [], []
                for rule in payload["add"]:
                    if not rule.get("value") or len(rule["value"]) > 1024:
                        errors.append({"value": rule.get("value"), "title": "UnprocessableEntity", "detail": "invalid rule"})
                        continue
                    STATE["next_id"] += 1
                    added.append({"id": str(STATE["next_id"]), "value": rule["value"], **({"tag": rule["tag"]} if "tag" in rule else {})})
                if not dry_run and not errors:
                    STATE["rules"].extend(added)
                body = {"data": added, "meta": {"summary": {"created": len(added)}}}
                if errors:
                    body = {"errors": errors, "meta": {"summary": {"created": 0}}}
                return self.send_json(200, body)
            if "delete" in payload:
                ids = set(payload["delete"].get("ids", []))
                if not dry_run:
                    STATE["rules"] = [r for r in STATE["rules"] if r["id"] not in ids]
                return self.send_json(200, {"meta": {"summary": {"deleted": len(ids)}}})
        self.send_json(400, {"title": "Invalid Request"})

    def stream(self):
        with STATE["lock"]:
            index = STATE["connection"]
            STATE["connection"] += 1
        plans = self.scenario.get("connections", [])
        plan = plans[index] if index < len(plans) else {"end": "hold"}
        status = plan.get("status", 200)
        if status != 200:
            return self.send_json(status, plan.get("body", {"title": "Error", "status": status}), plan.get("headers"))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        use_gzip = plan.get("gzip", False)
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        compressor = zlib.compressobj(6, zlib.DEFLATED, 31) if use_gzip else None

        def send(raw):
            data = raw.encode() if isinstance(raw, str) else raw
            if compressor:
                data = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
            if data:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

        try:
            chunks = [c.encode() for c in plan.get("chunks", [])]
            split = plan.get("split_bytes")
            if split:
                joined = b"".join(chunks)
                chunks = [joined[i:i + split] for i in range(0, len(joined), split)]
            for chunk in chunks:
                send(chunk)
            if plan.get("stall"):
                time.sleep(plan["stall"])
            if plan.get("end", "close") == "abort":
                # Cut the connection without the terminating chunk: a broken transfer.
                self.close_connection = True
                return
            if plan.get("end", "close") == "hold":
                while True:
                    send("\r\n")
                    time.sleep(0.2)
            if compressor:
                tail = compressor.flush()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(tail), tail))
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


def main():
    # A test runner may start us with SIGTERM blocked or ignored; we must be stoppable.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with open(sys.argv[1]) as handle:
        Handler.scenario = json.load(handle)
    STATE["rules"] = list(Handler.scenario.get("rules", []))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
