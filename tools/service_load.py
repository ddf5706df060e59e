#!/usr/bin/env python3
"""Load test for `tributary serve` on loopback: a bounded burst of job submissions and status polls from a second
process, reporting the latency of POST /v1/jobs and GET /v1/jobs/{id} and the job throughput (submitted jobs done
per second); then, optionally, the throughput of one large embedding job and of one predict job.

Usage: python3 tools/service_load.py [--url http://127.0.0.1:8080] [--submits 200] [--polls 2000]
       [--clients 8] [--embed N --embedder minilm|hashing --chunk 256]
       [--predict CHECKPOINT,DATABASE,TASK,SPLIT --chunk 256] [--seeds-path FILE.parquet]
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
    ap.add_argument("--predict", help="CHECKPOINT,DATABASE,TASK,SPLIT of one timed predict job")
    ap.add_argument("--seeds-path", help="with --predict: predict these explicit seeds instead of the split")
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
    burst_start = time.perf_counter()
    if args.submits:
        print("| request | count | req/s | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- |")
        summary("POST /v1/jobs", *run_pool(args.submits, args.clients, submit))
        summary("GET /v1/jobs/{id}", *run_pool(args.polls, args.clients, poll))
        for job_id in list(ids):
            wait(args, job_id)
        wall = time.perf_counter() - burst_start
        print(f"\njob throughput: {len(ids)} jobs (10 texts, 2 chunks + assembly each) submitted and done in "
              f"{wall:.1f} s: {len(ids) / wall:.1f} jobs/s")
    if args.embed:
        big = [f"row {i}: the quick brown fox {i % 7} jumps over {i * 31 % 97} lazy dogs" for i in range(args.embed)]
        timed(args, f"embed job: {args.embed} texts ({args.embedder}, chunks of {args.chunk})",
              {"kind": "embed", "embed": {"texts": big, "embedder": args.embedder}, "chunk_size": args.chunk})
    if args.predict:
        checkpoint, database, task, split = args.predict.split(",")
        what = {"seeds_path": args.seeds_path} if args.seeds_path else {"split": split}
        timed(args, f"predict job: {task} {'explicit seeds' if args.seeds_path else split} (chunks of {args.chunk})",
              {"kind": "predict", "chunk_size": args.chunk, "predict": {
                  "checkpoint": checkpoint, "database": database, "task": task, **what}})

def wait(args, job_id):
    while True:
        job = json.loads(request(f"{args.url}/v1/jobs/{job_id}", token=args.token)[1])
        if job["state"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.2)

def timed(args, name, spec):
    start = time.perf_counter()
    _, payload = request(args.url + "/v1/jobs", "POST", spec, args.token)
    job = json.loads(payload)
    if "id" not in job:
        raise SystemExit(f"{name}: refused: {job}")
    job = wait(args, job["id"])
    wall = time.perf_counter() - start
    items = job["progress"]["items_total"]
    cells = job.get("cells_per_second")
    print(f"\n{name}: {items} items, {job['state']}, {items / wall:.1f} items/s submit-to-done, "
          f"service-reported {job.get('items_per_second') or 0:.1f} items/s"
          + (f", {cells:,.0f} cells/s" if cells else ""))

if __name__ == "__main__":
    main()
