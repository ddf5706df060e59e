#!/usr/bin/env python3
"""A small OpenAI-compatible /v1/chat/completions server on loopback, for the `describe --llm` tests.

Usage: tools/fake_chat_server.py   (prints the port it listens on, then serves until killed or stdin closes)
The request's `model` picks the answer: "ok" (retypes shop's customers.country to Text, describes a table and a
column, suggests one valid task), "mixed" (one valid retype plus invalid ones: a Timestamp on a string column, an
unknown column, an unknown type, a task on a missing column), "garbage" (content that is not JSON), "error" (HTTP
500). Every answer checks that the prompt carries the schema (else 400) and that the bearer token is "secret" (else
401), so the tests see the key reach the server.
"""
import json
import select
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS = {
    "ok": {
        "tables": [{"table": "orders", "description": "one row per order"}],
        "columns": [{"table": "customers", "column": "country", "type": "Text", "description": "country name"}],
        "tasks": [{"name": "order-amount", "table": "orders", "target": "amount"}],
    },
    "mixed": {
        "columns": [
            {"table": "orders", "column": "status", "type": "Text"},
            {"table": "customers", "column": "name", "type": "Timestamp"},
            {"table": "customers", "column": "nope", "type": "Text"},
            {"table": "products", "column": "price", "type": "Money"},
        ],
        "tasks": [{"name": "bad", "table": "orders", "target": "missing"}],
    },
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        if self.headers.get("Authorization") != "Bearer secret":
            return self.reply(401, {"error": "bad key"})
        prompt = " ".join(m.get("content", "") for m in body.get("messages", []))
        if "customers" not in prompt or "order_lines" not in prompt:
            return self.reply(400, {"error": "the prompt lacks the schema"})
        model = body.get("model")
        if model == "error":
            return self.reply(500, {"error": "boom"})
        content = "I think this is fine!" if model == "garbage" else "```json\n" + json.dumps(ANSWERS[model]) + "\n```"
        self.reply(200, {"choices": [{"message": {"role": "assistant", "content": content}}]})


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # until the test closes our stdin (EOF is readable) or is gone for 10 minutes: never an orphan server
    select.select([sys.stdin], [], [], 600)
