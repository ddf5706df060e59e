// Attention on the GPU. The op call's forward runs the flash kernel and also writes the probabilities the
// engine's contract asks for; its backward reads them through strided-batched cuBLASLt GEMMs (one batch of heads
// per sequence). `flashAttentionForward`/`flashAttentionBackward` are the path that never stores [B, H, Tq, Tk]:
// they keep one log-sum-exp per query and recompute probabilities in backward, skipping masked key tiles.
// Refuses: head dimensions above 256 (the kernel's per-lane accumulators).
import Tensor

/// The mask as kernel arguments: kind code, pointer, and its batch and head extents (1 = shared).
struct MaskArguments {
  var kind: Int32
  var address: DevicePointer
  var batch: Int
  var heads: Int
}

extension CUDABackend {
  static let attentionWarps = 4

  func maskArguments(_ mask: AttentionMask) throws -> MaskArguments {
    switch mask {
    case .none: return MaskArguments(kind: 0, address: 0, batch: 1, heads: 1)
    case .keyPadding(let keep):
      return MaskArguments(kind: 1, address: try address(keep, "attention.mask"), batch: 1, heads: 1)
    case .additive(let bias):
      return MaskArguments(
        kind: 2, address: try address(bias, "attention.mask"), batch: bias.shape[0], heads: bias.shape[1])
    case .packedKeep(let bits):
      return MaskArguments(
        kind: 3, address: try address(bits, "attention.mask"), batch: bits.shape[0], heads: bits.shape[1])
    }
  }

  /// The attention kernel's launch: warps of one query each, grid (query blocks, heads, batch).
  func attentionShape(queries: Int, heads: Int, batch: Int, headDim: Int, sharedRows: Int) throws
    -> LaunchShape
  {
    guard headDim <= 256 else {
      throw CUDAError.unsupported(what: "attention", detail: "head dimension \(headDim) is above 256")
    }
    let warps = Self.attentionWarps
    return LaunchShape(
      grid: ((queries + warps - 1) / warps, heads, batch), block: 32 * warps,
      sharedBytes: sharedRows * warps * headDim * 4)
  }

  /// out and lse (and probs when given) from q, k, v; see `attention_forward`.
  func attentionKernel(
    q: Tensor, k: Tensor, v: Tensor, mask: AttentionMask, heads: Int, out: Tensor, probs: Tensor?, lse: Tensor
  ) throws {
    let (b, tq, tk, dh) = (q.shape[0], q.shape[1], k.shape[1], q.shape[2] / heads)
    let m = try maskArguments(mask)
    try launch(
      "attention_forward",
      try attentionShape(queries: tq, heads: heads, batch: b, headDim: dh, sharedRows: 1),
      [
        .pointer(address(q)), .pointer(address(k)), .pointer(address(v)), .int32(m.kind), .pointer(m.address),
        .int64(m.batch), .int64(m.heads), .pointer(address(out)), .pointer(address(probs)),
        .pointer(address(lse)),
        .int64(tq), .int64(tk), .int64(heads), .int64(dh), .float(1 / Float(dh).squareRoot()),
      ])
  }

  /// Flash attention forward: out[B, Tq, H*Dh] and lse[B, H, Tq] (keep both for the backward).
  public func flashAttentionForward(
    q: Tensor, k: Tensor, v: Tensor, mask: AttentionMask, heads: Int, out: Tensor, lse: Tensor
  ) throws {
    try device.makeCurrent()
    try attentionKernel(q: q, k: k, v: v, mask: mask, heads: heads, out: out, probs: nil, lse: lse)
  }

  /// Flash attention backward: dq, dk, dv += gradients, recomputing probabilities from lse.
  public func flashAttentionBackward(
    dout: Tensor, q: Tensor, k: Tensor, v: Tensor, mask: AttentionMask, heads: Int, out: Tensor, lse: Tensor,
    dq: Tensor?, dk: Tensor?, dv: Tensor?
  ) throws {
    try device.makeCurrent()
    let (b, tq, tk, dh) = (q.shape[0], q.shape[1], k.shape[1], q.shape[2] / heads)
    let m = try maskArguments(mask)
    try launch(
      "attention_backward_flash",
      try attentionShape(queries: tq, heads: heads, batch: b, headDim: dh, sharedRows: 2),
      [
        .pointer(address(q)), .pointer(address(k)), .pointer(address(v)), .int32(m.kind), .pointer(m.address),
        .int64(m.batch), .int64(m.heads), .pointer(address(out)), .pointer(address(dout)),
        .pointer(address(lse)),
        .pointer(address(dq)), .pointer(address(dk)), .pointer(address(dv)), .int64(tq), .int64(tk),
        .int64(heads),
        .int64(dh), .float(1 / Float(dh).squareRoot()),
      ])
  }

  /// The op call's backward from saved probabilities, per sequence b (heads batched with stride Dh):
  /// dv += p^T dout; ds = scale p (dout v^T - rowdot); dq += ds k; dk += ds^T q.
  func attentionBackwardFromProbabilities(
    dout: Tensor, q: Tensor, k: Tensor, v: Tensor, probs: Tensor, heads: Int, dq: Tensor?, dk: Tensor?,
    dv: Tensor?
  ) throws {
    let (batch, tq, tk, channels) = (q.shape[0], q.shape[1], k.shape[1], q.shape[2])
    let dh = channels / heads
    let scratch = try uninitialized([heads, tq, tk])
    try withExtendedLifetime(scratch) {
      let ds = try address(scratch)
      let (g0, q0, k0, v0, p0) = (
        try address(dout), try address(q), try address(k), try address(v), try address(probs)
      )
      let (dq0, dk0, dv0) = (try address(dq), try address(dk), try address(dv))
      for b in 0..<batch {
        let (qo, kvo, po) = (
          UInt64(b * tq * channels * 4), UInt64(b * tk * channels * 4), UInt64(b * heads * tq * tk * 4)
        )
        func shape(
          _ m: Int, _ n: Int, _ k: Int, _ ta: Bool, _ tb: Bool, _ lda: Int, _ ldb: Int, _ ldc: Int, _ sa: Int,
          _ sb: Int, _ sc: Int
        ) -> GEMMShape {
          GEMMShape(
            m: m, n: n, k: k, transposeA: ta, transposeB: tb, lda: lda, ldb: ldb, ldc: ldc, batch: heads,
            strideA: sa, strideB: sb, strideC: sc)
        }
        if dv != nil {
          try gemm(
            shape(tk, dh, tq, true, false, tk, channels, channels, tq * tk, dh, dh), a: p0 + po, b: g0 + qo,
            c: dv0 + kvo, alpha: 1, beta: 1)
        }
        guard dq != nil || dk != nil else { continue }
        try gemm(
          shape(tq, tk, dh, false, true, channels, channels, tk, dh, dh, tq * tk), a: g0 + qo, b: v0 + kvo,
          c: ds, alpha: 1, beta: 0)
        try launch(
          "softmax_backward", .rows(heads * tq),
          [
            .pointer(ds), .pointer(p0 + po), .pointer(ds), .int64(tk), .float(1 / Float(dh).squareRoot()),
            .int32(0),
          ])
        if dq != nil {
          try gemm(
            shape(tq, dh, tk, false, false, tk, channels, channels, tq * tk, dh, dh), a: ds, b: k0 + kvo,
            c: dq0 + qo, alpha: 1, beta: 1)
        }
        if dk != nil {
          try gemm(
            shape(tk, dh, tq, true, false, tk, channels, channels, tq * tk, dh, dh), a: ds, b: q0 + qo,
            c: dk0 + kvo, alpha: 1, beta: 1)
        }
      }
    }
  }
}
