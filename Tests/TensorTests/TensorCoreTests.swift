// Tensors, views, dtypes, the null backend, shape errors, the arena, and thread-count independence.
import Testing

@testable import Tensor

@Test func viewsShareStorageWithoutCopying() throws {
  let cpu = CPUBackend(threads: 1)
  let t = try cpu.tensor((0..<6).map(Float.init), shape: [2, 3])
  let transposed = try t.transposed(0, 1)
  #expect(transposed.shape == [3, 2])
  #expect(!transposed.isContiguous)
  #expect(transposed.storage === t.storage)
  #expect(try cpu.copyOut(transposed) == [0, 3, 1, 4, 2, 5])
  let column = try t.slice(axis: 1, 1..<2)
  #expect(try cpu.copyOut(column) == [1, 4])
  let row = try t.slice(axis: 0, 1..<2)
  #expect(row.isContiguous)
  try row.withUnsafeMutableFloats { $0[0] = 42 }
  #expect(try cpu.copyOut(t)[3] == 42)
  #expect(throws: TensorError.notContiguous(what: "reshape")) { _ = try transposed.reshaped([6]) }
  #expect(throws: TensorError.self) { _ = try t.reshaped([4]) }
  #expect(try cpu.contiguous(transposed).isContiguous)
}

@Test func halfPrecisionConversions() throws {
  // Known IEEE binary16 / bfloat16 encodings.
  #expect(HalfPrecision.f32ToF16(1) == 0x3C00)
  #expect(HalfPrecision.f32ToF16(65504) == 0x7BFF)
  #expect(HalfPrecision.f32ToF16(-2) == 0xC000)
  #expect(HalfPrecision.f16ToF32(0x3555) == 0.333251953125)
  #expect(HalfPrecision.f16ToF32(0x0001) == 5.9604644775390625e-8)
  #expect(HalfPrecision.f32ToBF16(1) == 0x3F80)
  #expect(HalfPrecision.bf16ToF32(0x4049) == 3.140625)
  // Round to nearest even: 1 + 2^-8 is halfway between bf16 1.0 and 1.0078125 and rounds to even (1.0).
  #expect(HalfPrecision.f32ToBF16(1 + 1.0 / 256) == 0x3F80)
  #expect(HalfPrecision.f32ToBF16(1 + 3.0 / 256) == 0x3F82)
  #expect(HalfPrecision.bf16ToF32(HalfPrecision.f32ToBF16(.nan)).isNaN)
  let cpu = CPUBackend(threads: 1)
  for dtype in [DType.f16, .bf16] {
    let t = try cpu.tensor([0.5, -1.25, 3], shape: [3], dtype: dtype)
    #expect(try cpu.copyOut(t) == [0.5, -1.25, 3])
    #expect(try cpu.contiguous(t).dtype == .f32)
  }
}

@Test func nullBackendChecksShapesOnly() throws {
  let null = NullBackend()
  let x = try null.allocate(shape: [4, 8], dtype: .f32)
  let w = try null.allocate(shape: [16, 8], dtype: .f32)
  let out = try null.allocate(shape: [4, 16], dtype: .f32)
  try null.run(.linearForward(x: x, weight: w, bias: nil, out: out))
  let wrong = try null.allocate(shape: [4, 15], dtype: .f32)
  #expect(throws: TensorError.self) { try null.run(.linearForward(x: x, weight: w, bias: nil, out: wrong)) }
  #expect(throws: TensorError.notHostMemory(what: "tensor")) { try x.withUnsafeFloats { _ in } }
  let q = try null.allocate(shape: [2, 5, 12], dtype: .f32)
  let probs = try null.allocate(shape: [2, 3, 5, 5], dtype: .f32)
  try null.run(.attentionForward(q: q, k: q, v: q, mask: .none, heads: 3, out: q, probs: probs))
  #expect(throws: TensorError.self) {
    try null.run(.attentionForward(q: q, k: q, v: q, mask: .none, heads: 5, out: q, probs: probs))
  }
  for op in Op.allCases { #expect(null.supports(op)) }
}

@Test func shapeErrorsNameTheOpAndArgument() throws {
  let cpu = CPUBackend(threads: 1)
  let x = try cpu.zeros([3, 4])
  do {
    try cpu.run(
      .layerNormForward(
        x: x, weight: cpu.zeros([5]), bias: cpu.zeros([4]), out: x, mean: cpu.zeros([3]),
        rstd: cpu.zeros([3]),
        epsilon: 1e-5))
    Issue.record("a wrong weight shape was accepted")
  } catch let error as TensorError {
    #expect(error == .shapeMismatch(what: "layerNorm.weight", expected: "[4]", found: [5]))
  }
  let ids = try cpu.tensor(ids: [0, 5], shape: [2])
  #expect(throws: TensorError.self) {
    try cpu.run(
      .crossEntropyForward(logits: x, targets: ids, loss: cpu.zeros([1]), probs: cpu.zeros([3, 4])))
  }
}

@Test func arenaReusesMemoryAndRefusesOverflow() throws {
  let cpu = CPUBackend(threads: 1)
  let arena = try Arena(byteCount: 1024, on: cpu)
  let a = try arena.tensor([10])
  let b = try arena.tensor([10])
  #expect(a.storage === b.storage)
  #expect(b.offset * 4 % 64 == 0 && b.offset > a.offset)
  #expect(throws: TensorError.self) { _ = try arena.tensor([1000]) }
  arena.reset()
  #expect(try arena.tensor([10]).offset == a.offset)
  #expect(arena.highWater >= 104)
}

/// Results must not depend on the worker count: same bits on 1 and 2 workers.
@Test func resultsDoNotDependOnThreadCount() throws {
  var data = TestData(seed: freshSeed())
  let xValues = data.floats(300 * 70)
  let doutValues = data.floats(300 * 70)
  func run(threads: Int) throws -> [[Float]] {
    let cpu = CPUBackend(threads: threads)
    let x = try cpu.tensor(xValues, shape: [300, 70])
    let dout = try cpu.tensor(doutValues, shape: [300, 70])
    let w = try cpu.tensor([Float](repeating: 1.5, count: 70), shape: [70])
    let (out, mean, rstd) = (try cpu.zeros([300, 70]), try cpu.zeros([300]), try cpu.zeros([300]))
    try cpu.run(.layerNormForward(x: x, weight: w, bias: w, out: out, mean: mean, rstd: rstd, epsilon: 1e-5))
    let (dx, dw, db) = (try cpu.zeros([300, 70]), try cpu.zeros([70]), try cpu.zeros([70]))
    try cpu.run(
      .layerNormBackward(dout: dout, x: x, weight: w, mean: mean, rstd: rstd, dx: dx, dweight: dw, dbias: db))
    let dropped = try cpu.zeros([300, 70])
    try cpu.run(.dropoutForward(x: x, out: dropped, probability: 0.1, seed: 7))
    return try [out, dx, dw, db, dropped].map { try cpu.copyOut($0) }
  }
  #expect(try run(threads: 1) == run(threads: 2), "seed \(data.seed)")
}

@Test func viewsOutsideTheirStorageAreRefused() throws {
  let cpu = CPUBackend(threads: 1)
  let t = try cpu.tensor([1, 2, 3, 4], shape: [4])
  let past = Tensor(storage: t.storage, dtype: .f32, shape: [4], offset: 1)
  #expect(throws: TensorError.self) { _ = try cpu.copyOut(past) }
  let backwards = Tensor(storage: t.storage, dtype: .f32, shape: [4], strides: [-1], offset: 2)
  #expect(throws: TensorError.self) { _ = try cpu.copyOut(backwards) }
  let reversed = Tensor(storage: t.storage, dtype: .f32, shape: [4], strides: [-1], offset: 3)
  #expect(try cpu.copyOut(reversed) == [4, 3, 2, 1])
  #expect(throws: TensorError.self) {
    try cpu.run(.scaleForward(x: past, factor: 2, out: t))
  }
}

/// The ops documented as in-place safe give the same result with out == x.
@Test func inPlaceForwardsMatchOutOfPlace() throws {
  let cpu = CPUBackend(threads: 2)
  var data = TestData(seed: freshSeed())
  let values = data.floats(33 * 70, scale: 3)
  let w = try cpu.tensor(data.floats(70), shape: [70])
  let (mean, rstd) = (try cpu.zeros([33]), try cpu.zeros([33]))
  let calls: [(Tensor, Tensor) -> OpCall] = [
    { .activationForward(.geluErf, x: $0, out: $1) }, { .activationForward(.silu, x: $0, out: $1) },
    { .softmaxForward(x: $0, probs: $1) }, { .scaleForward(x: $0, factor: 0.5, out: $1) },
    { .addForward(a: $0, b: w, out: $1) }, { .mulForward(a: $0, b: w, out: $1) },
    { .dropoutForward(x: $0, out: $1, probability: 0.2, seed: 3) },
    { x, out in .layerNormForward(x: x, weight: w, bias: w, out: out, mean: mean, rstd: rstd, epsilon: 1e-5)
    },
  ]
  for (index, makeCall) in calls.enumerated() {
    let x = try cpu.tensor(values, shape: [33, 70])
    let out = try cpu.zeros([33, 70])
    try cpu.run(makeCall(x, out))
    try cpu.run(makeCall(x, x))
    #expect(try cpu.copyOut(x) == cpu.copyOut(out), "in-place call \(index), seed \(data.seed)")
  }
}

@Test func profileCountsCallsPerOpAndPass() throws {
  let profile = OpProfile()
  let cpu = CPUBackend(threads: 1, profile: profile)
  let x = try cpu.tensor([1, 2, 3, 4], shape: [2, 2])
  let out = try cpu.zeros([2, 2])
  try cpu.run(.softmaxForward(x: x, probs: out))
  try cpu.run(.softmaxForward(x: x, probs: out))
  try cpu.run(.softmaxBackward(dout: x, probs: out, dx: x))
  let totals = Dictionary(uniqueKeysWithValues: profile.totals.map { ($0.name, $0.calls) })
  #expect(totals == ["softmax forward": 2, "softmax backward": 1])
  #expect(profile.report().contains("softmax forward"))
}

@Test func dropoutSeedsDifferPerStepAndSite() {
  let seeds = Set(
    (0..<10).flatMap { step in (0..<10).map { DropoutMask.seed(run: 42, step: step, site: $0) } })
  #expect(seeds.count == 100)
  #expect(DropoutMask.seed(run: 42, step: 3, site: 4) == DropoutMask.seed(run: 42, step: 3, site: 4))
}

@Test func deviceStorageReleasesOnce() {
  final class Counter: @unchecked Sendable { var value = 0 }
  let counter = Counter()
  do {
    let storage = Storage(byteCount: 16, location: .device(backend: "test", handle: 7)) { counter.value += 1 }
    let tensor = Tensor(storage: storage, dtype: .f32, shape: [4])
    #expect(throws: TensorError.self) { try tensor.withUnsafeFloats { _ in } }
  }
  #expect(counter.value == 1)
}

@Test func impossibleAllocationsThrow() {
  for backend in [CPUBackend(threads: 1) as any Backend, NullBackend()] {
    #expect(throws: TensorError.self) { _ = try backend.allocate(shape: [-1, 4], dtype: .f32) }
    #expect(throws: TensorError.self) { _ = try backend.allocate(shape: [1 << 40, 1 << 40], dtype: .f32) }
  }
}
