#!/usr/bin/env python3
"""PyTorch reference of Tributary's relational transformer (Sources/Model), written independently of the Swift
code from the definitions in docs/model.md: cell features, the four relation masks, pre-norm blocks of column ->
feature -> neighbour -> full attention -> SwiGLU, final RMSNorm, Huber / BCE / InfoNCE heads.

  .venv/bin/python tools/rt_reference.py fixture Tests/ModelTests/Fixtures/rt_parity.safetensors
      writes weights, one small random relational batch, the losses, head outputs and every gradient (float64
      math, stored as f32) for ModelParityTests.
  .venv/bin/python tools/rt_reference.py bench [--config small|rt] [--batch B] [--threads 2] [--device cpu|cuda|auto]
      [--amp bf16|none] [--attention explicit|sdpa] [--optimizer] [--peak FLOPS] [--count-flops]
      forward+backward step time of the same architecture in PyTorch (CPU or GPU; on a GPU with bf16 autocast, and
      with --optimizer the clipping and AdamW of a training step too), cells/s, and MFU from the same model-FLOP
      count as `tributary gpu bench` (Sources/Training/ModelFLOPs.swift); --count-flops adds PyTorch's own count of
      the step's matmul FLOPs (torch.utils.flop_counter), the independent check of that formula.
"""
import json, math, struct, sys, time
import numpy as np
import torch

TYPES = 6
KINDS = ["column", "feature", "neighbour", "full"]


def feature_width(e):
    return 2 * e + 17 + 2 * TYPES


def param_shapes(cfg):
    d, h, e = cfg["width"], cfg["ffnWidth"], cfg["embeddingWidth"]
    shapes = [("input.weight", [d, feature_width(e)]), ("input.bias", [d])]
    for b in range(cfg["blocks"]):
        for k in KINDS:
            p = f"blocks.{b}.{k}.attention"
            shapes += [(f"{p}.norm", [d]), (f"{p}.wq", [d, d]), (f"{p}.wk", [d, d]), (f"{p}.wv", [d, d]),
                       (f"{p}.wo", [d, d])]
        shapes += [(f"blocks.{b}.ffn.norm", [d]), (f"blocks.{b}.ffn.w1", [2 * h, d]), (f"blocks.{b}.ffn.w2", [d, h])]
    shapes += [("final_norm", [d]), ("head.regression.weight", [1, d]), ("head.regression.bias", [1]),
               ("head.binary.weight", [1, d]), ("head.binary.bias", [1]), ("head.contrastive.query", [d, d]),
               ("head.contrastive.candidate", [d, e])]
    return shapes


def encode_features(f, col_emb, voc_emb, e):
    n = len(f["type"])
    out = np.zeros((n, feature_width(e)))
    for i in range(n):
        t = int(f["type"][i])
        if t == 0:
            continue
        c = int(f["column"][i])
        if 0 <= c < len(col_emb):
            out[i, :e] = col_emb[c]
        masked = f["masked"][i] != 0
        if not masked:
            out[i, e] = f["number"][i]
            out[i, e + 1:e + 16] = f["timestamp"][i]
            out[i, e + 16] = f["boolean"][i]
            if f["vocabulary"][i] >= 0:
                out[i, e + 17:2 * e + 17] = voc_emb[f["vocabulary"][i]]
        out[i, 2 * e + 17 + t] = 1
        if masked:
            out[i, 2 * e + 17 + TYPES + t] = 1
    return out


def relation_masks(f, B, L, P):
    """keep[kind][b, i, j] from the definitions (dense, O(L^2) per context)."""
    keep = np.zeros((4, B, L, L), dtype=bool)
    for b in range(B):
        o = b * L
        parents = lambda r: [p for p in f["row_parents"][(o + r) * P:(o + r + 1) * P] if 0 <= p < L and p != r]
        for i in range(L):
            for j in range(L):
                if f["type"][o + i] == 0 or f["type"][o + j] == 0:
                    continue
                ri, rj = f["row"][o + i], f["row"][o + j]
                keep[3, b, i, j] = True
                keep[0, b, i, j] = f["column"][o + i] == f["column"][o + j]
                keep[1, b, i, j] = ri == rj or rj in parents(ri)
                keep[2, b, i, j] = ri in parents(rj)
    return keep


def targets(f):
    reg, breg, con, ctar, cands = [], [], [], [], []
    for i, l in enumerate(f["loss"]):
        if l in (1, 2):
            reg.append(i)
        elif l == 3:
            breg.append(i)
        elif l in (4, 5):
            v = int(f["label_vocabulary"][i])
            if v not in cands:
                cands.append(v)
            con.append(i)
            ctar.append(cands.index(v))
    for i, v in enumerate(f["vocabulary"]):
        if v >= 0 and f["masked"][i] == 0 and int(v) not in cands:
            cands.append(int(v))
    return reg, breg, con, ctar, cands


def rms(x, w, eps):
    return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + eps) * w


# bench --attention sdpa: PyTorch's fused scaled_dot_product_attention instead of the explicit softmax, which at
# B = 32, L = 1024 would keep ~1 GiB of scores per layer for backward (out of memory on an 80 GB GPU). Bench only: a
# query with no visible key gives NaN there and 0 in the explicit form (the bench's masks hide nothing at L > 128).
FUSED_ATTENTION = False


def attention(x, p, keep, heads, B, L):
    d = x.shape[-1]
    dh = d // heads
    q, k, v = (x @ p[n].T for n in ("wq", "wk", "wv"))
    split = lambda t: t.view(B, L, heads, dh).transpose(1, 2)
    if FUSED_ATTENTION:
        m = torch.as_tensor(keep, device=x.device)[:, None]
        o = torch.nn.functional.scaled_dot_product_attention(split(q), split(k), split(v), attn_mask=m)
        return o.transpose(1, 2).reshape(B * L, d) @ p["wo"].T
    s = split(q) @ split(k).transpose(-1, -2) / math.sqrt(dh)
    m = torch.as_tensor(keep, device=x.device)[:, None]
    s = s.masked_fill(~m, float("-inf"))
    any_key = m.any(-1, keepdim=True)
    a = torch.where(any_key, torch.softmax(torch.where(any_key, s, torch.zeros_like(s)), -1), torch.zeros_like(s))
    a = a.masked_fill(~m, 0)
    o = (a @ split(v)).transpose(1, 2).reshape(B * L, d)
    return o @ p["wo"].T


def forward(cfg, P, feats, keep, tg, f, cand_emb, B, L):
    eps = cfg["normEpsilon"]
    x = feats @ P["input.weight"].T + P["input.bias"]
    for b in range(cfg["blocks"]):
        for ki, k in enumerate(KINDS):
            pre = f"blocks.{b}.{k}.attention"
            p = {n: P[f"{pre}.{n}"] for n in ("wq", "wk", "wv", "wo")}
            x = x + attention(rms(x, P[f"{pre}.norm"], eps), p, keep[ki], cfg["heads"], B, L)
        n = rms(x, P[f"blocks.{b}.ffn.norm"], eps)
        u = n @ P[f"blocks.{b}.ffn.w1"].T
        g, up = u.chunk(2, -1)
        x = x + (torch.nn.functional.silu(g) * up) @ P[f"blocks.{b}.ffn.w2"].T
    h = rms(x, P["final_norm"], eps)
    reg, breg, con, ctar, cands = tg
    losses, outs = {}, {}
    if reg:
        pred = (h[reg] @ P["head.regression.weight"].T + P["head.regression.bias"])[:, 0]
        t = torch.tensor([f["label_number"][i] for i in reg], dtype=pred.dtype)
        losses["regression"] = torch.nn.functional.huber_loss(pred, t, delta=cfg["huberDelta"])
        outs["regression"] = pred
    if breg:
        logit = (h[breg] @ P["head.binary.weight"].T + P["head.binary.bias"])[:, 0]
        t = torch.tensor([f["label_number"][i] for i in breg], dtype=logit.dtype)
        losses["binary"] = torch.nn.functional.binary_cross_entropy_with_logits(logit, t)
        outs["binary"] = logit
    if con:
        q = h[con] @ P["head.contrastive.query"].T
        c = cand_emb @ P["head.contrastive.candidate"].T
        logits = q @ c.T / cfg["temperature"]
        losses["contrastive"] = torch.nn.functional.cross_entropy(logits, torch.tensor(ctar))
        outs["contrastive"] = torch.softmax(logits, -1)
    return losses, outs


def random_batch(rng, B, L, P, vocab, columns):
    n = B * L
    f = {"number": np.zeros(n), "timestamp": np.zeros((n, 15)), "boolean": np.zeros(n),
         "vocabulary": -np.ones(n, dtype=np.int64), "column": -np.ones(n, dtype=np.int64),
         "row": -np.ones(n, dtype=np.int64), "type": np.zeros(n, dtype=np.int64),
         "masked": np.zeros(n, dtype=np.int64), "loss": np.zeros(n, dtype=np.int64),
         "label_number": np.zeros(n), "label_vocabulary": -np.ones(n, dtype=np.int64),
         "row_parents": -np.ones(n * P, dtype=np.int64)}
    for b in range(B):
        cells = L - b  # some padding in later contexts
        rows = 0
        i = 0
        while i < cells:
            width = min(int(rng.integers(1, 4)), cells - i)
            r = rows
            rows += 1
            if r > 0:
                for k in range(P):
                    if rng.random() < 0.7:
                        f["row_parents"][(b * L + r) * P + k] = int(rng.integers(0, r))
            for _ in range(width):
                c = b * L + i
                t = int(rng.integers(1, 6))
                f["type"][c], f["row"][c] = t, r
                f["column"][c] = int(rng.integers(0, columns + 2))  # past the table: task columns
                if t == 1:
                    f["number"][c] = rng.normal()
                elif t == 2:
                    f["timestamp"][c] = rng.normal(size=15)
                elif t == 3:
                    f["boolean"][c] = float(rng.integers(0, 2))
                else:
                    f["vocabulary"][c] = int(rng.integers(0, vocab))
                if rng.random() < 0.35:
                    f["masked"][c] = f["loss"][c] = 1
                    f["loss"][c] = t
                    f["label_number"][c] = {1: f["number"][c], 2: f["timestamp"][c][0], 3: f["boolean"][c]}.get(t, 0)
                    f["label_vocabulary"][c] = f["vocabulary"][c]
                    f["number"][c], f["boolean"][c], f["vocabulary"][c] = 0, 0, -1
                    f["timestamp"][c] = 0
                i += 1
    return f


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, (dtype, arr) in tensors.items():
        data = np.ascontiguousarray(arr, dtype={"F32": np.float32, "I32": np.int32}[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(np.shape(arr)), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def fixture(path):
    cfg = {"width": 8, "blocks": 2, "heads": 2, "ffnWidth": 12, "contextLength": 8, "embeddingWidth": 6,
           "temperature": 0.5, "huberDelta": 1.0, "normEpsilon": 1e-6}
    B, L, P, V, C = 3, 8, 2, 10, 5
    e = cfg["embeddingWidth"]
    seed = 20261123
    while True:  # the first seed whose batch carries every loss kind
        rng = np.random.default_rng(seed)
        col_emb, voc_emb = rng.normal(size=(C, e)) * 0.5, rng.normal(size=(V, e)) * 0.5
        f = random_batch(rng, B, L, P, V, C)
        if all(any(l in kinds for l in f["loss"]) for kinds in ((1, 2), (3,), (4, 5))):
            break
        seed += 1
    params = {}
    for name, shape in param_shapes(cfg):
        base = 1.0 if name.endswith("norm") else 0.0
        params[name] = torch.tensor(base + rng.normal(size=shape) * 0.4, dtype=torch.float64, requires_grad=True)
    feats = torch.tensor(encode_features(f, col_emb, voc_emb, e))
    tg = targets(f)
    cand = torch.tensor(voc_emb[tg[4]])
    losses, outs = forward(cfg, params, feats, relation_masks(f, B, L, P), tg, f, cand, B, L)
    total = sum(losses.values())
    total.backward()
    t = {"config": ("F32", np.array([0.0]))}
    for k in ["number", "boolean", "label_number"]:
        t[f"field.{k}"] = ("F32", f[k])
    t["field.timestamp"] = ("F32", f["timestamp"].reshape(-1))
    for k in ["vocabulary", "column", "row", "type", "masked", "loss", "label_vocabulary", "row_parents"]:
        t[f"field.{k}"] = ("I32", f[k])
    t["embeddings.columns"] = ("F32", col_emb)
    t["embeddings.vocabulary"] = ("F32", voc_emb)
    for name, p in params.items():
        t[f"weight.{name}"] = ("F32", p.detach().numpy())
        assert p.grad is not None, f"no gradient reaches {name} (a loss kind is missing from the batch)"
        t[f"grad.{name}"] = ("F32", p.grad.numpy())
    for k, v in losses.items():
        t[f"loss.{k}"] = ("F32", np.array([v.item()]))
    for k, v in outs.items():
        t[f"out.{k}"] = ("F32", v.detach().numpy().reshape(-1))
    t["shape"] = ("I32", np.array([B, L, P]))
    del t["config"]
    write_safetensors(path, t)
    with open(path.replace(".safetensors", ".json"), "w") as out:
        json.dump(cfg, out, indent=1)
    print(f"wrote {path}: losses", {k: round(v.item(), 6) for k, v in losses.items()})


def model_flops(cfg, B):
    """Model FLOPs of a training step, as ModelFLOPs.swift: matmuls only, attention dense, backward = 2 x forward."""
    L, d, h, e = cfg["contextLength"], cfg["width"], cfg["ffnWidth"], cfg["embeddingWidth"]
    n = B * L
    attention = 4 * (2 * n * d * d) + 2 * (2 * B * L * L * d)
    ffn = 2 * n * d * (2 * h) + 2 * n * h * d
    return 3 * (2 * n * feature_width(e) * d + cfg["blocks"] * (4 * attention + ffn))


def bench(args):
    import argparse
    a = argparse.ArgumentParser()
    a.add_argument("--config", default="small")
    a.add_argument("--batch", type=int, default=0)
    a.add_argument("--threads", type=int, default=2)
    a.add_argument("--steps", type=int, default=3)
    a.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    a.add_argument("--amp", default="bf16", choices=["bf16", "none"], help="autocast on a GPU")
    a.add_argument("--optimizer", action="store_true", help="time clipping and AdamW too (a full training step)")
    a.add_argument("--peak", type=float, default=989e12, help="peak FLOP/s for MFU (H100 SXM bf16 dense)")
    a.add_argument("--count-flops", action="store_true")
    a.add_argument("--attention", default="explicit", choices=["explicit", "sdpa"])
    o = a.parse_args(args)
    global FUSED_ATTENTION
    FUSED_ATTENTION = o.attention == "sdpa"
    device = ("cuda" if torch.cuda.is_available() else "cpu") if o.device == "auto" else o.device
    torch.set_num_threads(o.threads)
    torch.set_flush_denormal(True)
    if o.config == "rt":
        cfg = {"width": 256, "blocks": 12, "heads": 8, "ffnWidth": 1024, "contextLength": 1024}
        B = o.batch or 1
    else:
        cfg = {"width": 64, "blocks": 2, "heads": 4, "ffnWidth": 128, "contextLength": 128}
        B = o.batch or 8
    cfg.update({"embeddingWidth": 384, "temperature": 0.1, "huberDelta": 1.0, "normEpsilon": 1e-6})
    L, P = cfg["contextLength"], 1
    rng = np.random.default_rng(0)
    f = random_batch(rng, B, L, P, 64, 8)
    e = cfg["embeddingWidth"]
    col_emb, voc_emb = rng.normal(size=(8, e)) * 0.05, rng.normal(size=(64, e)) * 0.05
    torch.set_default_device(device)
    params = {n: torch.tensor((1.0 if n.endswith("norm") else 0) + rng.normal(size=s) * 0.02, dtype=torch.float32,
                              requires_grad=True) for n, s in param_shapes(cfg)}
    feats = torch.tensor(encode_features(f, col_emb, voc_emb, e), dtype=torch.float32)
    keep = torch.as_tensor(relation_masks(f, B, L, P) if L <= 128 else np.ones((4, B, L, L), dtype=bool))
    tg = targets(f)
    cand = torch.tensor(voc_emb[tg[4]], dtype=torch.float32)
    optimizer = torch.optim.AdamW(params.values(), lr=1e-4) if o.optimizer else None
    amp = device == "cuda" and o.amp == "bf16"

    def step():
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
            losses, _ = forward(cfg, params, feats, keep, tg, f, cand, B, L)
        sum(losses.values()).backward()
        if optimizer:
            torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
            optimizer.step()
        for p in params.values():
            p.grad = None

    def synchronize():
        if device == "cuda":
            torch.cuda.synchronize()

    step()  # warm-up: allocator, kernels, autotuning
    synchronize()
    times = []
    for _ in range(o.steps):
        start = time.perf_counter()
        step()
        synchronize()
        times.append(time.perf_counter() - start)
    times.sort()
    median = times[len(times) // 2]
    flops = model_flops(cfg, B)
    out = {"implementation": "pytorch", "device": device, "amp": o.amp if device == "cuda" else "none",
           "attention": o.attention,
           "optimizer": o.optimizer, "config": o.config, "batch": B, "L": L, "threads": o.threads,
           "step_s": median, "cells_per_s": B * L / median, "model_flops_per_step": flops, "peak_flops": o.peak,
           "mfu": flops / median / o.peak}
    if o.count_flops:
        from torch.utils.flop_counter import FlopCounterMode
        with FlopCounterMode(display=False) as counter:
            step()
        out["torch_counted_flops"] = counter.get_total_flops()
    print(json.dumps(out))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "fixture":
        fixture(sys.argv[2])
    elif len(sys.argv) >= 2 and sys.argv[1] == "bench":
        bench(sys.argv[2:])
    else:
        print(__doc__)
        sys.exit(2)
