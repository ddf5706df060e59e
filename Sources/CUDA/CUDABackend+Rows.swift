// Dispatch of the row and elementwise ops (norms, activations, SwiGLU, softmax, pooling, L2, dropout) to their
// kernels: one block per row for the row kernels, grid-stride launches for the elementwise ones.
import Tensor

extension CUDABackend {
  func runRowOp(_ call: OpCall) throws {
    switch call {
    case .layerNormForward(let x, let w, let b, let out, let mean, let rstd, let eps):
      let (n, c) = x.rowsAndColumns
      try launch(
        "layernorm_forward", .rows(n),
        [
          .pointer(address(x)), .pointer(address(w)), .pointer(address(b)), .pointer(address(out)),
          .pointer(address(mean)), .pointer(address(rstd)), .int64(c), .float(eps),
        ])
    case .layerNormBackward(let dout, let x, let w, let mean, let rstd, let dx, let dw, let db):
      let (n, c) = x.rowsAndColumns
      if let dx {
        try launch(
          "layernorm_backward", .rows(n),
          [
            .pointer(address(dout)), .pointer(address(x)), .pointer(address(w)), .pointer(address(mean)),
            .pointer(address(rstd)), .pointer(address(dx)), .int64(c),
          ])
      }
      if let dw {
        try columnSums(
          kind: 1, rows: n, columns: c, dout: address(dout), x: address(x), mean: address(mean),
          rstd: address(rstd), into: address(dw))
      }
      if let db { try columnSums(kind: 0, rows: n, columns: c, dout: address(dout), into: address(db)) }
    case .rmsNormForward(let x, let w, let out, let rstd, let eps):
      let (n, c) = x.rowsAndColumns
      try launch(
        "rmsnorm_forward", .rows(n),
        [
          .pointer(address(x)), .pointer(address(w)), .pointer(address(out)), .pointer(address(rstd)),
          .int64(c), .float(eps),
        ])
    case .rmsNormBackward(let dout, let x, let w, let rstd, let dx, let dw):
      let (n, c) = x.rowsAndColumns
      if let dx {
        try launch(
          "rmsnorm_backward", .rows(n),
          [
            .pointer(address(dout)), .pointer(address(x)), .pointer(address(w)), .pointer(address(rstd)),
            .pointer(address(dx)), .int64(c),
          ])
      }
      if let dw {
        try columnSums(
          kind: 2, rows: n, columns: c, dout: address(dout), x: address(x), rstd: address(rstd),
          into: address(dw))
      }
    case .activationForward(let kind, let x, let out):
      try launch(
        "activation_forward", .elements(x.count),
        [.int32(Self.activationCode(kind)), .pointer(address(x)), .pointer(address(out)), .int64(x.count)])
    case .activationBackward(let kind, let dout, let x, let dx):
      try launch(
        "activation_backward", .elements(x.count),
        [
          .int32(Self.activationCode(kind)), .pointer(address(dout)), .pointer(address(x)),
          .pointer(address(dx)), .int64(x.count),
        ])
    case .swigluForward(let x, let out):
      let (n, c) = x.rowsAndColumns
      try launch(
        "swiglu_forward", .elements(n * c / 2),
        [.pointer(address(x)), .pointer(address(out)), .int64(n), .int64(c / 2)])
    case .swigluBackward(let dout, let x, let dx):
      let (n, c) = x.rowsAndColumns
      try launch(
        "swiglu_backward", .elements(n * c / 2),
        [.pointer(address(x)), .pointer(address(dout)), .pointer(address(dx)), .int64(n), .int64(c / 2)])
    case .softmaxForward(let x, let probs):
      let (n, c) = x.rowsAndColumns
      try launch("softmax_forward", .rows(n), [.pointer(address(x)), .pointer(address(probs)), .int64(c)])
    case .softmaxBackward(let dout, let probs, let dx):
      let (n, c) = probs.rowsAndColumns
      try launch(
        "softmax_backward", .rows(n),
        [
          .pointer(address(dout)), .pointer(address(probs)), .pointer(address(dx)), .int64(c), .float(1),
          .int32(1),
        ])
    default:
      try runPoolingOrDropout(call)
    }
  }

  private func runPoolingOrDropout(_ call: OpCall) throws {
    switch call {
    case .meanPoolForward(let x, let keep, let out):
      try launch(
        "meanpool_forward", .elements(out.count),
        [
          .pointer(address(x)), .pointer(address(keep)), .pointer(address(out)), .int64(x.shape[0]),
          .int64(x.shape[1]), .int64(x.shape[2]),
        ])
    case .meanPoolBackward(let dout, let keep, let dx):
      try launch(
        "meanpool_backward", .elements(dout.count),
        [
          .pointer(address(dout)), .pointer(address(keep)), .pointer(address(dx)), .int64(dx.shape[0]),
          .int64(dx.shape[1]), .int64(dx.shape[2]),
        ])
    case .l2NormalizeForward(let x, let out, let norm, let eps):
      let (n, c) = x.rowsAndColumns
      try launch(
        "l2norm_forward", .rows(n),
        [.pointer(address(x)), .pointer(address(out)), .pointer(address(norm)), .int64(c), .float(eps)])
    case .l2NormalizeBackward(let dout, let out, let norm, let eps, let dx):
      let (n, c) = out.rowsAndColumns
      try launch(
        "l2norm_backward", .rows(n),
        [
          .pointer(address(dout)), .pointer(address(out)), .pointer(address(norm)), .pointer(address(dx)),
          .int64(c), .float(eps),
        ])
    case .dropoutForward(let x, let out, let p, let seed):
      try launch(
        "dropout_kernel", .elements(x.count),
        [
          .pointer(address(x)), .pointer(address(out)), .int64(x.count), .float(p), .float(1 / (1 - p)),
          .uint64(seed), .int32(0),
        ])
    case .dropoutBackward(let dout, let dx, let p, let seed):
      try launch(
        "dropout_kernel", .elements(dx.count),
        [
          .pointer(address(dout)), .pointer(address(dx)), .int64(dx.count), .float(p), .float(1 / (1 - p)),
          .uint64(seed), .int32(1),
        ])
    default:
      try runAttentionOrLoss(call)
    }
  }

  static func activationCode(_ kind: Activation) -> Int32 {
    switch kind {
    case .geluErf: return 0
    case .geluTanh: return 1
    case .silu: return 2
    }
  }
}
