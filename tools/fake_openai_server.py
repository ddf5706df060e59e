#!/usr/bin/env python3
"""A small OpenAI-compatible /v1/embeddings server on loopback, for the OpenAIEmbedder tests.

Usage: tools/fake_openai_server.py   (prints the port it listens on, then serves until killed or stdin closes)
The request's `model` picks a behaviour: "ok" (vectors derived from the text), "flaky" (every other request fails
with 503), "ratelimit" (every other request is a 429 with Retry-After: 0), "nonsense" (a JSON object that is not an
embeddings response), "short" (one embedding too few), "auth" (401 unless the bearer token is "secret").
The vectors: [len(text), number of spaces, index in the request, 1, 0, ...] up to `dimensions` (default 8).
"""
import json
import select
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COUNTER = {"n": 0}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass

    def reply(self, status: int, body: dict, headers: dict = {}) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        if not self.path.endswith("/v1/embeddings"):
            return self.reply(404, {"error": "no such route"})
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        model, texts = request["model"], request["input"]
        with LOCK:
            COUNTER["n"] += 1
            odd = COUNTER["n"] % 2 == 1
        if model == "flaky" and odd:
            return self.reply(503, {"error": "try again"})
        if model == "ratelimit" and odd:
            return self.reply(429, {"error": "slow down"}, {"Retry-After": "0"})
        if model == "nonsense":
            return self.reply(200, {"hello": "world"})
        if model == "auth" and self.headers.get("Authorization") != "Bearer secret":
            return self.reply(401, {"error": "bad key"})
        dim = request.get("dimensions") or 8
        data = [{"object": "embedding", "index": i,
                 "embedding": ([float(len(t)), float(t.count(" ")), float(i), 1.0] + [0.0] * dim)[:dim]}
                for i, t in enumerate(texts)]
        if model == "short":
            data = data[:-1]
        data.reverse()  # the API does not promise order; clients must sort by index
        self.reply(200, {"object": "list", "data": data, "model": model})


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # until the test closes our stdin (EOF is readable) or is gone for 10 minutes: never an orphan server
    select.select([sys.stdin], [], [], 600)


if __name__ == "__main__":
    main()
