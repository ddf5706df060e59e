// Dispatch of `OpCall`s to the CUDA kernels and cuBLASLt: validate shapes (the same checks as the CPU), take
// device addresses, queue kernels. One exhaustive switch: a new op does not build until it is handled here.
// Refuses: reading anything back to the host inside `run` (ids are bounds-checked by the kernels instead: an id
// outside its table reads zeros and writes nothing, where the CPU backend throws).
import Tensor

extension CUDABackend {
  public func run(_ call: OpCall) throws {
    try call.validate()
    try device.makeCurrent()
    switch call {
    case .matmul(let a, let b, let c, let ta, let tb, let alpha, let beta):
      let k = ta ? a.shape[0] : a.shape[1]
      try gemm(
        GEMMShape(
          m: c.shape[0], n: c.shape[1], k: k, transposeA: ta, transposeB: tb, lda: a.shape[1],
          ldb: b.shape[1], ldc: c.shape[1]), a: address(a), b: address(b), c: address(c), alpha: alpha,
        beta: beta)
    case .batchedMatmul(let a, let b, let c, let ta, let tb, let alpha, let beta):
      let k = ta ? a.shape[1] : a.shape[2]
      try gemm(
        GEMMShape(
          m: c.shape[1], n: c.shape[2], k: k, transposeA: ta, transposeB: tb, lda: a.shape[2],
          ldb: b.shape[2],
          ldc: c.shape[2], batch: a.shape[0], strideA: a.shape[1] * a.shape[2],
          strideB: b.shape[1] * b.shape[2],
          strideC: c.shape[1] * c.shape[2]), a: address(a), b: address(b), c: address(c), alpha: alpha,
        beta: beta)
    case .linearForward(let x, let w, let bias, let out):
      let (n, inDim, outDim) = (x.shape[0], x.shape[1], w.shape[0])
      if let bias {
        try launch(
          "fill_rows", .elements(n * outDim),
          [.pointer(address(out)), .pointer(address(bias)), .int64(n), .int64(outDim)])
      }
      try gemm(
        GEMMShape(
          m: n, n: outDim, k: inDim, transposeA: false, transposeB: true, lda: inDim, ldb: inDim, ldc: outDim),
        a: address(x), b: address(w), c: address(out), alpha: 1, beta: bias == nil ? 0 : 1)
    case .linearBackward(let dout, let x, let w, let dx, let dw, let db):
      try linearBackward(dout: dout, x: x, w: w, dx: dx, dw: dw, db: db)
    case .addForward(let a, let b, let out), .mulForward(let a, let b, let out):
      try launch(
        "broadcast_forward", .elements(out.count),
        [
          .pointer(address(a)), .pointer(address(b)), .pointer(address(out)), .int64(out.count),
          .int64s(StructArguments.broadcast(a: a.shape, b: b.shape, out: out.shape)),
          .int32(call.op == .mul ? 1 : 0),
        ])
    case .addBackward(let dout, let da, let db):
      if let da { try broadcastBackward(dout: dout, grad: da, other: nil) }
      if let db { try broadcastBackward(dout: dout, grad: db, other: nil) }
    case .mulBackward(let dout, let a, let b, let da, let db):
      if let da { try broadcastBackward(dout: dout, grad: da, other: b) }
      if let db { try broadcastBackward(dout: dout, grad: db, other: a) }
    case .scaleForward(let x, let factor, let out):
      try launch(
        "scale_kernel", .elements(x.count),
        [.pointer(address(x)), .pointer(address(out)), .int64(x.count), .float(factor), .int32(0)])
    case .scaleBackward(let dout, let factor, let dx):
      try launch(
        "scale_kernel", .elements(dx.count),
        [.pointer(address(dout)), .pointer(address(dx)), .int64(dx.count), .float(factor), .int32(1)])
    case .embeddingForward(let ids, let table, let out):
      try launch(
        "embedding_forward", .elements(out.count),
        [
          .pointer(address(ids)), .pointer(address(table)), .pointer(address(out)), .int64(ids.count),
          .int64(table.shape[1]), .int64(table.shape[0]),
        ])
    case .embeddingBackward(let dout, let ids, let dtable):
      try launch(
        "embedding_backward", .elements(dout.count),
        [
          .pointer(address(dout)), .pointer(address(ids)), .pointer(address(dtable)), .int64(ids.count),
          .int64(dtable.shape[1]), .int64(dtable.shape[0]),
        ])
    default:
      try runRowOp(call)
    }
  }

  /// c = alpha op(a) op(b) + beta c through cuBLASLt; k = 0 only scales c.
  func gemm(
    _ shape: GEMMShape, a: DevicePointer, b: DevicePointer, c: DevicePointer, alpha: Float, beta: Float
  ) throws {
    guard shape.m > 0, shape.n > 0, shape.batch > 0 else { return }
    if shape.k == 0 {
      guard shape.ldc == shape.n, shape.batch == 1 || shape.strideC == shape.m * shape.n else {
        throw CUDAError.unsupported(what: "GEMM with k = 0", detail: "on a strided result")
      }
      let count = shape.batch * shape.m * shape.n
      try launch("scale_in_place", .elements(count), [.pointer(c), .int64(count), .float(beta)])
      return
    }
    var s = shape
    (s.alignA, s.alignB, s.alignC) = (
      Self.alignment(a, stride: s.batch > 1 ? s.strideA : 0),
      Self.alignment(b, stride: s.batch > 1 ? s.strideB : 0),
      Self.alignment(c, stride: s.batch > 1 ? s.strideC : 0)
    )
    try withExtendedLifetime(workspace) {
      try blas.matmul(
        s, a: a, b: b, c: c, alpha: alpha, beta: beta, precision: precision, workspace: address(workspace),
        workspaceBytes: Self.workspaceBytes, stream: device.stream)
    }
  }

  /// The largest of 16, 8, 4 bytes dividing the address and every batch's offset.
  static func alignment(_ address: DevicePointer, stride: Int) -> Int {
    for bytes in [16, 8, 4] where address % UInt64(bytes) == 0 && (stride * 4) % bytes == 0 { return bytes }
    return 1
  }

  private func linearBackward(dout: Tensor, x: Tensor, w: Tensor, dx: Tensor?, dw: Tensor?, db: Tensor?)
    throws
  {
    let (n, inDim, outDim) = (x.shape[0], x.shape[1], w.shape[0])
    if let dx {  // dx[N,In] += dout w
      try gemm(
        GEMMShape(
          m: n, n: inDim, k: outDim, transposeA: false, transposeB: false, lda: outDim, ldb: inDim, ldc: inDim
        ),
        a: address(dout), b: address(w), c: address(dx), alpha: 1, beta: 1)
    }
    if let dw {  // dw[Out,In] += dout^T x
      try gemm(
        GEMMShape(
          m: outDim, n: inDim, k: n, transposeA: true, transposeB: false, lda: outDim, ldb: inDim, ldc: inDim),
        a: address(dout), b: address(x), c: address(dw), alpha: 1, beta: 1)
    }
    if let db { try columnSums(kind: 0, rows: n, columns: outDim, dout: address(dout), into: address(db)) }
  }

  /// grad += the sum of dout (times other) over the dimensions grad was broadcast along.
  private func broadcastBackward(dout: Tensor, grad: Tensor, other: Tensor?) throws {
    let outShape = dout.shape
    let trimmed = Array(grad.shape.drop(while: { $0 == 1 }))
    let trailing = grad.count > 0 && outShape.suffix(trimmed.count).elementsEqual(trimmed)
    if trailing, grad.count < dout.count, other == nil || other?.count == dout.count {
      try columnSums(
        kind: other == nil ? 0 : 3, rows: dout.count / grad.count, columns: grad.count, dout: address(dout),
        x: address(other), into: address(grad))
      return
    }
    try launch(
      "broadcast_backward", .elements(grad.count),
      [
        .pointer(address(dout)), .pointer(address(other)), .pointer(address(grad)), .int64(grad.count),
        .int64s(StructArguments.reduction(grad: grad.shape, other: other?.shape, out: outShape)),
      ])
  }

  /// dst[C] += column sums of a per-row term (see `colsum_partial`), in fixed row chunks: deterministic.
  func columnSums(
    kind: Int32, rows: Int, columns: Int, dout: DevicePointer, x: DevicePointer = 0, mean: DevicePointer = 0,
    rstd: DevicePointer = 0, into destination: DevicePointer
  ) throws {
    guard rows > 0, columns > 0 else { return }
    let chunkRows = max(64, (rows + 65_534) / 65_535)
    let chunks = (rows + chunkRows - 1) / chunkRows
    let partial = try uninitialized([chunks * columns])
    try withExtendedLifetime(partial) {
      try launch(
        "colsum_partial", LaunchShape(grid: ((columns + 255) / 256, chunks, 1), block: 256),
        [
          .int32(kind), .int64(rows), .int64(columns), .int64(chunkRows), .pointer(dout), .pointer(x),
          .pointer(mean),
          .pointer(rstd), .pointer(address(partial)),
        ])
      try launch(
        "colsum_finish", .elements(columns),
        [.pointer(address(partial)), .int64(chunks), .int64(columns), .pointer(destination)])
    }
  }
}
