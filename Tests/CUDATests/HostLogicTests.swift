// Host-side logic of the backend that runs without a GPU: the kernels' by-value structs (checked by emulating the
// kernels' index arithmetic against the engine's reference broadcasting), library search, the CPU fallback, and
// the parity harness of `gpu check` (every op has a case; CPU against CPU is exact).
import Foundation
import Tensor
import Testing

@testable import CUDA

@Suite struct HostLogicTests {
  /// broadcast_forward's index arithmetic, in Swift: the operand's flat index for each output element.
  static func kernelIndices(_ s: [Int64], operand: Int, count: Int) -> [Int] {
    let rank = Int(s[0])
    let shape = Array(s[1...6]).map(Int.init)
    let strides = Array(s[(1 + 6 * operand)...(6 + 6 * operand)]).map(Int.init)
    return (0..<count).map { i in
      var (rest, index) = (i, 0)
      for d in stride(from: rank - 1, through: 0, by: -1) {
        index += (rest % shape[d]) * strides[d]
        rest /= shape[d]
      }
      return index
    }
  }

  @Test(arguments: [[4, 7, 9], [9], [1, 7, 1], [4, 1, 9], [7, 1], [1]])
  func broadcastStructMatchesReferenceBroadcasting(bShape: [Int]) throws {
    let out = [4, 7, 9]
    let s = try StructArguments.broadcast(a: out, b: bShape, out: out)
    #expect(s.count == 19)
    #expect(Self.kernelIndices(s, operand: 1, count: 252) == Reference.broadcastIndices(from: out, to: out))
    #expect(
      Self.kernelIndices(s, operand: 2, count: 252) == Reference.broadcastIndices(from: bShape, to: out))
  }

  /// broadcast_backward's loops, in Swift: grad[g] += sum of dout (times other) over the reduced dimensions.
  static func kernelReduce(_ s: [Int64], dout: [Float], other: [Float]?, gradCount: Int) -> [Float] {
    let v = s.map(Int.init)
    let (keptRank, reducedRank) = (v[0], v[19])
    let (keptShape, keptOut, keptOther) = (Array(v[1...6]), Array(v[7...12]), Array(v[13...18]))
    let (reducedShape, reducedOut, reducedOther) = (Array(v[20...25]), Array(v[26...31]), Array(v[32...37]))
    let reducedCount = reducedShape.prefix(reducedRank).reduce(1, *)
    return (0..<gradCount).map { g in
      var (rest, outBase, otherBase) = (g, 0, 0)
      for d in stride(from: keptRank - 1, through: 0, by: -1) {
        outBase += (rest % keptShape[d]) * keptOut[d]
        otherBase += (rest % keptShape[d]) * keptOther[d]
        rest /= keptShape[d]
      }
      var acc: Float = 0
      for r in 0..<reducedCount {
        var (rr, o, p) = (r, outBase, otherBase)
        for d in stride(from: reducedRank - 1, through: 0, by: -1) {
          o += (rr % reducedShape[d]) * reducedOut[d]
          p += (rr % reducedShape[d]) * reducedOther[d]
          rr /= reducedShape[d]
        }
        acc += dout[o] * (other?[p] ?? 1)
      }
      return acc
    }
  }

  @Test(arguments: [[4, 7, 9], [9], [1, 7, 1], [4, 1, 9], [7, 1]])
  func reductionStructMatchesTheCPUBackward(gradShape: [Int]) throws {
    let out = [4, 7, 9]
    let cpu = CPUBackend(threads: 1)
    var random = SplitMix64(seed: 7)
    let doutValues = (0..<252).map { _ in random.nextSignedUnit() }
    let otherValues = (0..<252).map { _ in random.nextSignedUnit() }
    let gradCount = gradShape.reduce(1, *)
    let dout = try cpu.tensor(doutValues, shape: out)
    let a = try cpu.tensor(otherValues, shape: out)
    let b = try cpu.tensor([Float](repeating: 0.5, count: gradCount), shape: gradShape)
    let db = try cpu.zeros(gradShape)
    try cpu.run(.mulBackward(dout: dout, a: a, b: b, da: nil, db: db))
    let s = try StructArguments.reduction(grad: gradShape, other: out, out: out)
    let emulated = Self.kernelReduce(s, dout: doutValues, other: otherValues, gradCount: gradCount)
    #expect(relativeError(emulated, try cpu.copyOut(db)) < 1e-6)
  }

  @Test func stridedViewStructDescribesATransposedSlice() throws {
    let cpu = CPUBackend(threads: 1)
    let t = try cpu.zeros([3, 4, 5]).transposed(0, 2).slice(axis: 1, 1..<3)
    let s = try StructArguments.view(t)
    #expect(s[0] == 3)
    #expect(s[1] == Int64(t.offset))
    #expect(Array(s[2...4]) == [5, 2, 3])
    #expect(Array(s[8...10]) == [1, 5, 20])
    #expect(throws: CUDAError.self) { try StructArguments.view(try cpu.zeros([1, 1, 1, 1, 1, 1, 2])) }
  }

  @Test func librarySearchFindsAWheelFolderFromTheEnvironment() throws {
    try withFakeLibrary("libnvrtc.so.12") { folder, fake in
      let candidates = LibrarySearch.candidates(
        sonames: ["libnvrtc.so.12"], environment: ["TRIBUTARY_CUDA_LIBRARY_PATH": folder])
      #expect(candidates.first == "libnvrtc.so.12")
      #expect(candidates.contains(fake))
      #expect {
        _ = try DynamicLibrary.open("libnvrtc", candidates: [fake])
      } throws: { error in
        guard case .libraryNotFound(let name, let tried) = error as? CUDAError else { return false }
        return name == "libnvrtc" && tried.count == 1 && tried[0].contains(fake)
      }
    }
  }

  @Test func withoutADriverTheBackendFallsBackToTheCPU() throws {
    guard (try? DriverAPI.load()) == nil else {
      print("SKIPPED withoutADriverTheBackendFallsBackToTheCPU: this machine has libcuda")
      return
    }
    #expect(throws: CUDAError.self) { try CUDABackend() }
    #expect(CUDABackend.orFallback(CPUBackend(threads: 1)).name == "cpu")
  }

  @Test func everyKernelSignatureParses() throws {
    let table = try KernelSignature.parse(KernelSource.all)
    #expect(Set(table.keys) == Set(KernelSource.kernelNames))
    #expect(table["broadcast_forward"] == [.pointer, .pointer, .pointer, .int64, .int64s(19), .int32])
    #expect(table["dropout_kernel"] == [.pointer, .pointer, .int64, .float, .float, .uint64, .int32])
    #expect(throws: CUDAError.self) {
      try KernelSignature.check(
        "dropout_kernel", [.pointer(0), .pointer(0), .int64(1), .float(0), .float(1), .int64(7), .int32(0)])
    }
    #expect(throws: CUDAError.self) { try KernelSignature.check("scale_in_place", [.pointer(0)]) }
    try KernelSignature.check("scale_in_place", [.pointer(0), .int64(1), .float(2)])
  }

  @Test func everyOpHasAParityCase() {
    let covered = Set(ParityCase.all.map(\.op))
    #expect(Op.allCases.filter { !covered.contains($0) } == [])
    #expect(Set(ParityCase.all.map(\.name)).count == ParityCase.all.count)
  }

  @Test func parityCasesRunOnTheCPUAndAgreeExactlyWithThemselves() throws {
    let (one, two) = (CPUBackend(threads: 1), CPUBackend(threads: 2))
    for parity in ParityCase.all {
      let a = try parity.run(on: one, seed: 3)
      let b = try parity.run(on: two, seed: 3)
      #expect(a.map(\.0) == b.map(\.0))
      for ((name, x), (_, y)) in zip(a, b) {
        #expect(relativeError(x, y) < 1e-6, "\(parity.name) \(name)")
        let finite = x.allSatisfy { $0.isFinite }
        #expect(finite, "\(parity.name) \(name) has non-finite values")
      }
    }
  }
}
