#!/usr/bin/env python3
"""Load test for `tributary serve` on loopback: a bounded burst of job submissions and status polls from a second
process, reporting the latency of POST /v1/jobs and GET /v1/jobs/{id}; then, optionally, the throughput of one
large embedding job.

Usage: python3 tools/service_load.py [--url http://127.0.0.1:8080] [--submits 200] [--polls 2000]
       [--clients 8] [--embed N --embedder minilm|hashing --chunk 256]
Standard library only. Prints a Markdown summary. Bounded: a fixed number of requests on a fixed number of
threads (no open-ended loop), each with a 30 s timeout.
"""
import argparse, json, statistics, threading, time, urllib.request

def request(url, method="GET", body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=30) as resp:
        payload = resp.read()
    return time.perf_counter() - start, payload

def run_pool(count, clients, task):
    latencies, lock, next_index = [], threading.Lock(), [0]
    def worker():
        while True:
            with lock:
                if next_index[0] >= count:
                    return
                index = next_index[0]; next_index[0] += 1
            elapsed = task(index)
            with lock:
                latencies.append(elapsed)
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    return latencies, time.perf_counter() - start

def summary(name, latencies, wall):
    ms = sorted(l * 1000 for l in latencies)
    p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
    print(f"| {name} | {len(ms)} | {len(ms) / wall:.0f} | {statistics.median(ms):.2f} | {p(0.99):.2f} | {ms[-1]:.2f} |")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--submits", type=int, default=200)
    ap.add_argument("--polls", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--token")
    ap.add_argument("--embed", type=int, default=0, help="texts in one throughput job (0: skip)")
    ap.add_argument("--embedder", default="minilm")
    ap.add_argument("--chunk", type=int, default=256)
    args = ap.parse_args()
    texts = [f"customer {i} ordered {i % 17} items of product {i * 7 % 101}" for i in range(10)]
    ids = []
    def submit(i):
        elapsed, payload = request(args.url + "/v1/jobs", "POST",
            {"kind": "embed", "embed": {"texts": texts, "embedder": "hashing"}, "chunk_size": 5}, args.token)
        ids.append(json.loads(payload)["id"])
        return elapsed
    def poll(i):
        return request(f"{args.url}/v1/jobs/{ids[i % len(ids)]}", token=args.token)[0]
    print("| request | count | req/s | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- |")
    summary("POST /v1/jobs", *run_pool(args.submits, args.clients, submit))
    summary("GET /v1/jobs/{id}", *run_pool(args.polls, args.clients, poll))
    if args.embed:
        big = [f"row {i}: the quick brown fox {i % 7} jumps over {i * 31 % 97} lazy dogs" for i in range(args.embed)]
        _, payload = request(args.url + "/v1/jobs", "POST",
            {"kind": "embed", "embed": {"texts": big, "embedder": args.embedder}, "chunk_size": args.chunk}, args.token)
        job_id = json.loads(payload)["id"]
        start = time.perf_counter()
        while True:
            job = json.loads(request(f"{args.url}/v1/jobs/{job_id}", token=args.token)[1])
            if job["state"] in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(0.2)
        wall = time.perf_counter() - start
        print(f"\nembed job: {args.embed} texts ({args.embedder}, chunks of {args.chunk}): {job['state']}, "
              f"{args.embed / wall:.1f} items/s submit-to-done, service-reported {job.get('items_per_second', 0):.1f} items/s")

if __name__ == "__main__":
    main()
