// The by-value structs of the kernels (`StridedView`, `Broadcast`, `Reduction` in KernelSource's prelude) built
// from tensor shapes, as arrays of Int64 in the structs' field order. Pure host logic, tested on the CPU.
// Refuses: ranks above 6 (the structs' fixed arrays).
import Tensor

enum StructArguments {
  static let maxRank = 6

  /// StridedView { rank, offset, shape[6], stride[6] } of a view.
  static func view(_ t: Tensor) throws -> [Int64] {
    try checkRank(t.rank, "strided copy")
    return [Int64(t.rank), Int64(t.offset)] + padded(t.shape) + padded(t.strides)
  }

  /// Broadcast { rank, shape[6], a[6], b[6] }: the output's shape and each operand's element stride per output
  /// dimension (0 where the operand is broadcast).
  static func broadcast(a: [Int], b: [Int], out: [Int]) throws -> [Int64] {
    try checkRank(out.count, "broadcast")
    return [Int64(out.count)] + padded(out) + padded(broadcastStrides(a, to: out))
      + padded(broadcastStrides(b, to: out))
  }

  /// Element strides of a dense operand of `shape` read at output coordinates of `out` (numpy broadcasting).
  static func broadcastStrides(_ shape: [Int], to out: [Int]) -> [Int] {
    let aligned = [Int](repeating: 1, count: max(out.count - shape.count, 0)) + shape
    let dense = Tensor.denseStrides(aligned)
    return out.indices.map { aligned[$0] == 1 && out[$0] != 1 ? 0 : dense[$0] }
  }

  /// Reduction { keptRank, keptShape, keptOut, keptOther, reducedRank, reducedShape, reducedOut, reducedOther }:
  /// the dimensions where `grad` follows the output and those it was broadcast along (summed).
  static func reduction(grad: [Int], other: [Int]?, out: [Int]) throws -> [Int64] {
    try checkRank(out.count, "broadcast backward")
    let aligned = [Int](repeating: 1, count: max(out.count - grad.count, 0)) + grad
    let outStrides = Tensor.denseStrides(out)
    let otherStrides = other.map { broadcastStrides($0, to: out) } ?? [Int](repeating: 0, count: out.count)
    var kept: (shape: [Int], out: [Int], other: [Int]) = ([], [], [])
    var reduced: (shape: [Int], out: [Int], other: [Int]) = ([], [], [])
    for d in out.indices {
      if aligned[d] == 1 && out[d] != 1 {
        reduced.shape.append(out[d])
        reduced.out.append(outStrides[d])
        reduced.other.append(otherStrides[d])
      } else {
        kept.shape.append(out[d])
        kept.out.append(outStrides[d])
        kept.other.append(otherStrides[d])
      }
    }
    return [Int64(kept.shape.count)] + padded(kept.shape) + padded(kept.out) + padded(kept.other)
      + [Int64(reduced.shape.count)] + padded(reduced.shape) + padded(reduced.out) + padded(reduced.other)
  }

  static func padded(_ values: [Int]) -> [Int64] {
    values.map(Int64.init) + [Int64](repeating: 0, count: max(maxRank - values.count, 0))
  }

  static func checkRank(_ rank: Int, _ what: String) throws {
    guard rank <= maxRank else {
      throw CUDAError.unsupported(what: what, detail: "rank \(rank) is above \(maxRank)")
    }
  }
}
