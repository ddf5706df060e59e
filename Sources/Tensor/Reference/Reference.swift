// Reference implementations: plain loops, generic over BinaryFloatingPoint, over arrays plus dimensions.
// They are the definition of every op; the fast CPU kernels (and later CUDA) are checked against them,
// and their backward passes are checked by finite differences in Float64. Kept forever, never optimised.
// Backward functions here RETURN fresh gradients (the fast kernels accumulate).
// Refuses: SIMD, threads, BLAS, and any cleverness that would make them harder to trust.
import Foundation

/// Namespace of the reference ops. Shapes are in the comments; `n` rows of `c` columns unless noted.
public enum Reference {}

// Transcendentals evaluated in Double for any T (the references care about clarity, not speed).
@inline(__always) func rExp<T: BinaryFloatingPoint>(_ x: T) -> T { T(Foundation.exp(Double(x))) }
@inline(__always) func rLog<T: BinaryFloatingPoint>(_ x: T) -> T { T(Foundation.log(Double(x))) }
@inline(__always) func rLog1p<T: BinaryFloatingPoint>(_ x: T) -> T { T(Foundation.log1p(Double(x))) }
@inline(__always) func rErf<T: BinaryFloatingPoint>(_ x: T) -> T { T(Foundation.erf(Double(x))) }
@inline(__always) func rTanh<T: BinaryFloatingPoint>(_ x: T) -> T { T(Foundation.tanh(Double(x))) }
@inline(__always) func rSigmoid<T: BinaryFloatingPoint>(_ x: T) -> T { 1 / (1 + rExp(-x)) }

extension Reference {
  /// For each element of `outShape` (row-major), the flat index of the element of `inShape` that numpy
  /// broadcasting reads. `inShape` aligns with the trailing dimensions of `outShape`.
  public static func broadcastIndices(from inShape: [Int], to outShape: [Int]) -> [Int] {
    let lead = outShape.count - inShape.count
    let inStrides = Tensor.denseStrides(inShape)
    let total = outShape.reduce(1, *)
    var result = [Int](repeating: 0, count: total)
    var index = [Int](repeating: 0, count: outShape.count)
    for flat in 0..<total {
      var source = 0
      for axis in inShape.indices where inShape[axis] != 1 {
        source += index[axis + lead] * inStrides[axis]
      }
      result[flat] = source
      var axis = outShape.count - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < outShape[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return result
  }
}
