// The cross-backend parity check behind `tributary gpu check`: one case per op (some ops have several: masks,
// transposes, broadcasts), each building the same seeded random inputs on any backend, running forward and
// backward (gradients pre-filled, so accumulation is checked), and returning every output. Comparing a case's
// outputs on two backends gives a relative error per output.
// Refuses: judging a backend on its own output (the reference is the CPU backend, itself checked against the
// Float64 reference ops and finite differences).
import Tensor

/// One op exercised on random inputs.
public struct ParityCase: Sendable {
  public let op: Op
  public let name: String
  /// Whether a GEMM is involved (bf16 inputs on the GPU): the tolerance is wider.
  public let usesMatmul: Bool
  let body: @Sendable (ParityInputs) throws -> [(String, Tensor)]

  /// Runs the case on `backend` with inputs drawn from `seed`; returns (output name, values) in a fixed order.
  public func run(on backend: any Backend, seed: UInt64) throws -> [(String, [Float])] {
    let inputs = ParityInputs(backend: backend, seed: seed)
    return try body(inputs).map { ($0.0, try backend.copyOut($0.1)) }
  }
}

/// Seeded random tensors on a backend: the same seed gives the same values on every backend.
public final class ParityInputs: @unchecked Sendable {
  // @unchecked: used by one case on one thread.
  public let backend: any Backend
  private var random: SplitMix64

  init(backend: any Backend, seed: UInt64) {
    self.backend = backend
    random = SplitMix64(seed: seed)
  }

  /// Uniform values in [-scale, scale).
  func uniform(_ shape: [Int], scale: Float = 1) throws -> Tensor {
    let count = shape.reduce(1, *)
    return try backend.tensor((0..<count).map { _ in random.nextSignedUnit() * scale }, shape: shape)
  }

  /// Values in [0, 1).
  func unit(_ shape: [Int]) throws -> Tensor {
    let count = shape.reduce(1, *)
    return try backend.tensor((0..<count).map { _ in (random.nextSignedUnit() + 1) / 2 }, shape: shape)
  }

  /// Ids in [low, high).
  func ids(_ count: Int, below high: Int, from low: Int = 0) throws -> Tensor {
    try backend.tensor(
      ids: (0..<count).map { _ in Int32(low + Int(random.next() % UInt64(high - low))) }, shape: [count])
  }

  /// Keep flags with probability `p`, and every `hiddenRowEvery`-th row of `keys` flags fully hidden.
  func keep(_ count: Int, keys: Int, probability p: Float, hiddenRowEvery: Int) -> [Bool] {
    (0..<count).map { i in
      (i / keys) % hiddenRowEvery != hiddenRowEvery - 1 && (random.nextSignedUnit() + 1) / 2 < p
    }
  }

  func run(_ call: OpCall) throws { try backend.run(call) }
}

extension ParityCase {
  /// Every case, at least one per `Op` (a test checks the coverage).
  public static var all: [ParityCase] {
    matmulCases + elementwiseCases + rowCases + attentionCases + lossCases
  }

  static var matmulCases: [ParityCase] {
    var cases: [ParityCase] = []
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      cases.append(
        ParityCase(op: .matmul, name: "matmul ta=\(ta) tb=\(tb)", usesMatmul: true) { i in
          let (m, n, k) = (33, 17, 40)
          let a = try i.uniform(ta ? [k, m] : [m, k])
          let b = try i.uniform(tb ? [n, k] : [k, n])
          let c = try i.uniform([m, n])
          try i.run(.matmul(a: a, b: b, c: c, transposeA: ta, transposeB: tb, alpha: 0.7, beta: 0.3))
          return [("c", c)]
        })
    }
    cases.append(
      ParityCase(op: .batchedMatmul, name: "batchedMatmul tb", usesMatmul: true) { i in
        let (a, b, c) = (try i.uniform([3, 9, 24]), try i.uniform([3, 7, 24]), try i.uniform([3, 9, 7]))
        try i.run(.batchedMatmul(a: a, b: b, c: c, transposeA: false, transposeB: true, alpha: 1, beta: 0.5))
        return [("c", c)]
      })
    cases.append(
      ParityCase(op: .linear, name: "linear", usesMatmul: true) { i in
        let (x, w, bias) = (try i.uniform([65, 48]), try i.uniform([24, 48]), try i.uniform([24]))
        let out = try i.backend.zeros([65, 24])
        try i.run(.linearForward(x: x, weight: w, bias: bias, out: out))
        let (dout, dx, dw, db) = (
          try i.uniform([65, 24]), try i.uniform([65, 48]), try i.uniform([24, 48]), try i.uniform([24])
        )
        try i.run(.linearBackward(dout: dout, x: x, weight: w, dx: dx, dweight: dw, dbias: db))
        return [("out", out), ("dx", dx), ("dweight", dw), ("dbias", db)]
      })
    return cases
  }

  static var elementwiseCases: [ParityCase] {
    var cases: [ParityCase] = []
    for (op, multiply) in [(Op.add, false), (Op.mul, true)] {
      for bShape in [[4, 7, 9], [9], [4, 1, 9], [7, 1]] {
        cases.append(
          ParityCase(op: op, name: "\(op) b=\(bShape)", usesMatmul: false) { i in
            let (a, b) = (try i.uniform([4, 7, 9]), try i.uniform(bShape))
            let out = try i.backend.zeros([4, 7, 9])
            let (dout, da, db) = (try i.uniform([4, 7, 9]), try i.uniform([4, 7, 9]), try i.uniform(bShape))
            if multiply {
              try i.run(.mulForward(a: a, b: b, out: out))
              try i.run(.mulBackward(dout: dout, a: a, b: b, da: da, db: db))
            } else {
              try i.run(.addForward(a: a, b: b, out: out))
              try i.run(.addBackward(dout: dout, da: da, db: db))
            }
            return [("out", out), ("da", da), ("db", db)]
          })
      }
    }
    cases.append(
      ParityCase(op: .scale, name: "scale", usesMatmul: false) { i in
        let (x, out, dout, dx) = (
          try i.uniform([1000]), try i.backend.zeros([1000]), try i.uniform([1000]), try i.uniform([1000])
        )
        try i.run(.scaleForward(x: x, factor: -1.5, out: out))
        try i.run(.scaleBackward(dout: dout, factor: -1.5, dx: dx))
        return [("out", out), ("dx", dx)]
      })
    cases.append(
      ParityCase(op: .embedding, name: "embedding", usesMatmul: false) { i in
        let (ids, table) = (try i.ids(40, below: 13), try i.uniform([13, 24]))
        let out = try i.backend.zeros([40, 24])
        try i.run(.embeddingForward(ids: ids, table: table, out: out))
        let (dout, dtable) = (try i.uniform([40, 24]), try i.uniform([13, 24]))
        try i.run(.embeddingBackward(dout: dout, ids: ids, dtable: dtable))
        return [("out", out), ("dtable", dtable)]
      })
    for kind in Activation.allCases {
      cases.append(
        ParityCase(op: kind.op, name: "\(kind)", usesMatmul: false) { i in
          let (x, out, dout, dx) = (
            try i.uniform([4000], scale: 4), try i.backend.zeros([4000]), try i.uniform([4000]),
            try i.uniform([4000])
          )
          try i.run(.activationForward(kind, x: x, out: out))
          try i.run(.activationBackward(kind, dout: dout, x: x, dx: dx))
          return [("out", out), ("dx", dx)]
        })
    }
    cases.append(
      ParityCase(op: .swiglu, name: "swiglu", usesMatmul: false) { i in
        let (x, out, dout, dx) = (
          try i.uniform([33, 64], scale: 3), try i.backend.zeros([33, 32]), try i.uniform([33, 32]),
          try i.uniform([33, 64])
        )
        try i.run(.swigluForward(x: x, out: out))
        try i.run(.swigluBackward(dout: dout, x: x, dx: dx))
        return [("out", out), ("dx", dx)]
      })
    cases.append(
      ParityCase(op: .dropout, name: "dropout", usesMatmul: false) { i in
        let (x, out, dout, dx) = (
          try i.uniform([5000]), try i.backend.zeros([5000]), try i.uniform([5000]), try i.uniform([5000])
        )
        try i.run(.dropoutForward(x: x, out: out, probability: 0.3, seed: 42))
        try i.run(.dropoutBackward(dout: dout, dx: dx, probability: 0.3, seed: 42))
        return [("out", out), ("dx", dx)]
      })
    return cases
  }
}
