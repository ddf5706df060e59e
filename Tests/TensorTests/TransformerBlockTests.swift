// A pre-norm transformer block (RMSNorm -> masked attention -> residual -> RMSNorm -> SwiGLU FFN ->
// residual) written with explicit forward and backward op calls, as the relational transformer will be.
// Its hand-written backward is checked against finite differences of the whole block (f32, so loose
// tolerances): this catches ordering and accumulation mistakes that per-op tests cannot see.
import Testing

@testable import Tensor

private struct Block {
  let b = 2, t = 5, c = 16, heads = 2, hidden = 24
  var params: [String: Parameter] = [:]

  init(cpu: CPUBackend, rng: inout SplitMix64) throws {
    let shapes: [(String, [Int], Initializer)] = [
      ("g1", [c], .ones), ("wq", [c, c], .normal(std: 0.3)), ("wk", [c, c], .normal(std: 0.3)),
      ("wv", [c, c], .normal(std: 0.3)), ("wo", [c, c], .normal(std: 0.3)), ("g2", [c], .ones),
      ("w1", [2 * hidden, c], .normal(std: 0.3)), ("w2", [c, hidden], .normal(std: 0.3)),
    ]
    for (name, shape, initializer) in shapes {
      params[name] = try Parameter(
        name: name, shape: shape, initializer: initializer, decays: true, on: cpu, rng: &rng)
    }
  }

  func p(_ name: String) throws -> Parameter {
    guard let parameter = params[name] else { throw TensorError.invalidArgument(what: "block", detail: name) }
    return parameter
  }

  /// Activations of one forward pass (all in the arena).
  struct Saved {
    var x: Tensor, n1: Tensor, rstd1: Tensor, q: Tensor, k: Tensor, v: Tensor, att: Tensor, probs: Tensor
    var x1: Tensor, n2: Tensor, rstd2: Tensor, u: Tensor, s: Tensor, y: Tensor
  }

  func forward(_ x: Tensor, mask: AttentionMask, cpu: CPUBackend, arena: Arena) throws -> Saved {
    let (rows, bt) = (b * t, [b, t, c])
    let a = { (shape: [Int]) in try arena.tensor(shape) }
    var s = Saved(
      x: x, n1: try a([rows, c]), rstd1: try a([rows]), q: try a(bt), k: try a(bt), v: try a(bt),
      att: try a(bt),
      probs: try a([b, heads, t, t]), x1: try a([rows, c]), n2: try a([rows, c]), rstd2: try a([rows]),
      u: try a([rows, 2 * hidden]), s: try a([rows, hidden]), y: try a([rows, c]))
    let o = try a([rows, c])
    let f = try a([rows, c])
    try cpu.run(.rmsNormForward(x: x, weight: p("g1").value, out: s.n1, rstd: s.rstd1, epsilon: 1e-6))
    for (w, out) in [("wq", s.q), ("wk", s.k), ("wv", s.v)] {
      try cpu.run(.linearForward(x: s.n1, weight: p(w).value, bias: nil, out: out.reshaped([rows, c])))
    }
    try cpu.run(
      .attentionForward(q: s.q, k: s.k, v: s.v, mask: mask, heads: heads, out: s.att, probs: s.probs))
    try cpu.run(.linearForward(x: s.att.reshaped([rows, c]), weight: p("wo").value, bias: nil, out: o))
    try cpu.run(.addForward(a: x, b: o, out: s.x1))
    try cpu.run(.rmsNormForward(x: s.x1, weight: p("g2").value, out: s.n2, rstd: s.rstd2, epsilon: 1e-6))
    try cpu.run(.linearForward(x: s.n2, weight: p("w1").value, bias: nil, out: s.u))
    try cpu.run(.swigluForward(x: s.u, out: s.s))
    try cpu.run(.linearForward(x: s.s, weight: p("w2").value, bias: nil, out: f))
    try cpu.run(.addForward(a: s.x1, b: f, out: s.y))
    s.x = x
    return s
  }

  /// Backward from dy; returns dx. Parameter gradients accumulate into `params[...].gradient`.
  func backward(_ s: Saved, dy: Tensor, cpu: CPUBackend, arena: Arena) throws -> Tensor {
    let rows = b * t
    let z = { (shape: [Int]) -> Tensor in
      let t = try arena.tensor(shape)
      try cpu.zero(t)
      return t
    }
    let (dx1, ds, du, dn2, datt, dn1, dx) = (
      try z([rows, c]), try z([rows, hidden]), try z([rows, 2 * hidden]), try z([rows, c]), try z([b, t, c]),
      try z([rows, c]), try z([rows, c])
    )
    let (dq, dk, dv) = (try z([b, t, c]), try z([b, t, c]), try z([b, t, c]))
    // y = x1 + f: dy flows to both.
    try cpu.run(.addBackward(dout: dy, da: dx1, db: nil))
    try cpu.run(
      .linearBackward(dout: dy, x: s.s, weight: p("w2").value, dx: ds, dweight: p("w2").gradient, dbias: nil))
    try cpu.run(.swigluBackward(dout: ds, x: s.u, dx: du))
    try cpu.run(
      .linearBackward(
        dout: du, x: s.n2, weight: p("w1").value, dx: dn2, dweight: p("w1").gradient, dbias: nil))
    try cpu.run(
      .rmsNormBackward(
        dout: dn2, x: s.x1, weight: p("g2").value, rstd: s.rstd2, dx: dx1, dweight: p("g2").gradient))
    // x1 = x + o
    try cpu.run(.addBackward(dout: dx1, da: dx, db: nil))
    try cpu.run(
      .linearBackward(
        dout: dx1, x: s.att.reshaped([rows, c]), weight: p("wo").value, dx: datt.reshaped([rows, c]),
        dweight: p("wo").gradient, dbias: nil))
    try cpu.run(
      .attentionBackward(
        dout: datt, q: s.q, k: s.k, v: s.v, probs: s.probs, heads: heads, dq: dq, dk: dk, dv: dv))
    for (w, grad) in [("wq", dq), ("wk", dk), ("wv", dv)] {
      try cpu.run(
        .linearBackward(
          dout: grad.reshaped([rows, c]), x: s.n1, weight: p(w).value, dx: dn1, dweight: p(w).gradient,
          dbias: nil))
    }
    try cpu.run(
      .rmsNormBackward(
        dout: dn1, x: s.x, weight: p("g1").value, rstd: s.rstd1, dx: dx, dweight: p("g1").gradient))
    return dx
  }
}

@Test func transformerBlockBackwardMatchesFiniteDifferences() throws {
  let seed = freshSeed()
  var rng = SplitMix64(seed: seed)
  let cpu = CPUBackend(threads: 2)
  let block = try Block(cpu: cpu, rng: &rng)
  let arena = try Arena(byteCount: 1 << 20, on: cpu)
  let (b, t, c) = (block.b, block.t, block.c)
  let x = try cpu.tensor((0..<(b * t * c)).map { _ in rng.nextNormal() }, shape: [b * t, c])
  let weights = (0..<(b * t * c)).map { _ in Double(rng.nextNormal()) }
  let dy = try cpu.tensor(weights.map { Float($0) }, shape: [b * t, c])
  // Causal mask shared by both heads, plus one hidden key in the second sequence.
  let keep = (0..<(b * t * t)).map { i in (i % t) <= (i / t) % t && i != t * t + 3 * t + 1 }
  let mask = try AttentionMasks.additive(fromKeep: keep, shape: [b, 1, t, t], on: cpu)

  func loss() throws -> Double {
    arena.reset()
    let y = try cpu.copyOut(block.forward(x, mask: mask, cpu: cpu, arena: arena).y)
    return zip(y, weights).reduce(0) { $0 + Double($1.0) * $1.1 }
  }
  arena.reset()
  let saved = try block.forward(x, mask: mask, cpu: cpu, arena: arena)
  try Array(block.params.values).zeroGradients(on: cpu)
  let dx = try cpu.copyOut(block.backward(saved, dy: dy, cpu: cpu, arena: arena))

  var targets: [(String, Tensor, [Float])] = [("x", x, dx)]
  for name in ["g1", "wq", "wk", "wv", "wo", "g2", "w1", "w2"] {
    let parameter = try block.p(name)
    targets.append((name, parameter.value, try cpu.copyOut(parameter.gradient)))
  }
  for (name, tensor, analytic) in targets {
    for _ in 0..<3 {
      let i = Int.random(in: 0..<tensor.count, using: &rng)
      let original = try tensor.withUnsafeFloats { $0[i] }
      let h: Float = 1e-2
      try tensor.withUnsafeMutableFloats { $0[i] = original + h }
      let plus = try loss()
      try tensor.withUnsafeMutableFloats { $0[i] = original - h }
      let minus = try loss()
      try tensor.withUnsafeMutableFloats { $0[i] = original }
      let numeric = (plus - minus) / Double(2 * h)
      let error = abs(numeric - Double(analytic[i])) / max(1, abs(numeric))
      #expect(error < 2e-2, "block d\(name)[\(i)]: analytic \(analytic[i]), numeric \(numeric), seed \(seed)")
    }
  }
}
