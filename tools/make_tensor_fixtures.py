#!/usr/bin/env python3
"""Writes Tests/TensorTests/NumpyFixtures.swift: small inputs and float64 numpy outputs of the forward
ops, an independent check of the engine's reference implementations (which are themselves checked by
finite differences for their backward passes).

Re-run from the repository root:  python3 tools/make_tensor_fixtures.py
Needs only numpy. Deterministic (seeded), so re-running reproduces the committed file byte for byte.
"""
import math
import os

import numpy as np

rng = np.random.default_rng(20261123)


def arr(*shape, scale=1.0):
    return np.round(rng.uniform(-scale, scale, size=shape), 4)


def swift(name, values):
    flat = np.asarray(values, dtype=np.float64).ravel()
    body = ", ".join(repr(float(v)) if np.isfinite(v) else ("-.infinity" if v < 0 else ".infinity") for v in flat)
    return f"  static let {name}: [Double] = [{body}]\n"


erf = np.vectorize(math.erf)
out = []

# linear: x[3,5] w[4,5] b[4]
x, w, b = arr(3, 5), arr(4, 5), arr(4)
out += [swift("linearX", x), swift("linearW", w), swift("linearB", b), swift("linearOut", x @ w.T + b)]

# layer norm: x[4,7], eps 1e-5
x, g, bb = arr(4, 7, scale=3), arr(7), arr(7)
mu = x.mean(-1, keepdims=True)
var = ((x - mu) ** 2).mean(-1, keepdims=True)
out += [swift("lnX", x), swift("lnW", g), swift("lnB", bb), swift("lnOut", (x - mu) / np.sqrt(var + 1e-5) * g + bb)]

# rms norm: x[4,7], eps 1e-6
out += [swift("rmsOut", x / np.sqrt((x**2).mean(-1, keepdims=True) + 1e-6) * g)]

# activations on 33 values
a = arr(33, scale=4)
out += [swift("actX", a), swift("geluErf", 0.5 * a * (1 + erf(a / math.sqrt(2))))]
out += [swift("geluTanh", 0.5 * a * (1 + np.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a**3))))]
out += [swift("silu", a / (1 + np.exp(-a)))]

# swiglu: x[3, 2*4]
s = arr(3, 8, scale=2)
gate, up = s[:, :4], s[:, 4:]
out += [swift("swigluX", s), swift("swigluOut", gate / (1 + np.exp(-gate)) * up)]


def softmax(z):
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


# softmax: x[3,6]
sm = arr(3, 6, scale=5)
out += [swift("softmaxX", sm), swift("softmaxOut", softmax(sm))]

# attention: B=2, T=5, H=2, Dh=3, key padding lengths [5, 3]
B, T, H, D = 2, 5, 2, 3
q, k, v = arr(B, T, H * D), arr(B, T, H * D), arr(B, T, H * D)
keep = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=np.float64)
qh = q.reshape(B, T, H, D).transpose(0, 2, 1, 3)
kh = k.reshape(B, T, H, D).transpose(0, 2, 1, 3)
vh = v.reshape(B, T, H, D).transpose(0, 2, 1, 3)
scores = qh @ kh.transpose(0, 1, 3, 2) / math.sqrt(D) + np.where(keep[:, None, None, :] > 0, 0, -np.inf)
att = (softmax(scores) @ vh).transpose(0, 2, 1, 3).reshape(B, T, H * D)
out += [swift("attnQ", q), swift("attnK", k), swift("attnV", v), swift("attnKeep", keep), swift("attnOut", att)]

# mean pooling (with the same keep) and L2 normalisation of the pooled rows
pooled = (att * keep[:, :, None]).sum(1) / keep.sum(1, keepdims=True)
out += [swift("poolOut", pooled)]
out += [swift("l2Out", pooled / np.maximum(np.linalg.norm(pooled, axis=-1, keepdims=True), 1e-12))]

# losses: cross-entropy on logits[4,5] with targets [2,0,-1,4] (-1 ignored), BCE, Huber(delta 1)
logits = arr(4, 5, scale=3)
targets = [2, 0, -1, 4]
lse = np.log(np.exp(logits - logits.max(-1, keepdims=True)).sum(-1)) + logits.max(-1)
ce = np.mean([lse[i] - logits[i, t] for i, t in enumerate(targets) if t >= 0])
out += [swift("ceLogits", logits), swift("ceLoss", [ce])]
z, t = arr(9, scale=4), np.round(rng.uniform(0, 1, size=9), 4)
bce = np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z))))
out += [swift("bceLogits", z), swift("bceTargets", t), swift("bceLoss", [bce])]
p, y = arr(9, scale=3), arr(9, scale=3)
r = np.abs(p - y)
hub = np.mean(np.where(r <= 1.0, 0.5 * r**2, 1.0 * (r - 0.5)))
out += [swift("huberPred", p), swift("huberTarget", y), swift("huberLoss", [hub])]

# AdamW (torch.optim.AdamW semantics), 3 steps on 6 values with decay, lr 0.01, betas (0.9, 0.95), eps 1e-8, wd 0.1
w0 = arr(6)
grads = [arr(6) for _ in range(3)]
w, m, v = w0.copy(), np.zeros(6), np.zeros(6)
for t, g in enumerate(grads, start=1):
    w = w * (1 - 0.01 * 0.1)
    m = 0.9 * m + 0.1 * g
    v = 0.95 * v + 0.05 * g * g
    w = w - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.95**t)) + 1e-8)
out += [swift("adamW0", w0), swift("adamGrads", np.concatenate(grads)), swift("adamW3", w)]

# global-norm clipping of two gradient tensors to max norm 0.5 (torch clip_grad_norm_)
g1, g2 = arr(4, scale=2), arr(3, scale=2)
total = math.sqrt((g1**2).sum() + (g2**2).sum())
coef = min(0.5 / (total + 1e-6), 1.0)
out += [swift("clipG1", g1), swift("clipG2", g2), swift("clipNorm", [total]), swift("clipped", np.concatenate([g1, g2]) * coef)]

# schedule: peak 1e-3, min 1e-5, warmup 10, total 100, at steps 0, 4, 9, 10, 55, 99, 150
def lr(step):
    if step < 10:
        return 1e-3 * (step + 1) / 10
    progress = min(max((step - 10) / 90, 0), 1)
    return 1e-5 + 0.5 * (1 + math.cos(math.pi * progress)) * (1e-3 - 1e-5)
out += [swift("scheduleRates", [lr(s) for s in [0, 4, 9, 10, 55, 99, 150]])]

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
path = os.path.join(root, "Tests", "TensorTests", "NumpyFixtures.swift")
with open(path, "w") as f:
    f.write("// swift-format-ignore-file\n// Generated by tools/make_tensor_fixtures.py (numpy, float64). Do not edit by hand.\n")
    f.write("enum NumpyFixtures {\n")
    f.write("  static let ceTargets: [Int] = [2, 0, -1, 4]\n")
    f.writelines(out)
    f.write("}\n")
print("wrote", path)
