// erf and exp for the GELU and softmax kernels, written as branch-free scalar code so that loops over them
// auto-vectorize in release builds (glibc's erff/expf calls were a fifth of the time) and stay cheap in debug
// builds (explicit SIMD types are very slow unoptimised).
// These belong in the tensor engine next to its GELU/softmax; they live here until the engine has them.
//   erf: the odd/even rational minimax approximation used by Eigen and XLA on [-4, 4] (|error| < 5e-7; outside,
//        erf is ±1 in Float);
//   exp: Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, degree-7 Taylor polynomial for e^r (< 2 ulp), scaled by
//        2^n through the exponent bits; inputs below -87 give ~1e-38 instead of denormals (harmless in softmax).
// Refuses: NaN propagation guarantees; callers pass finite activations.
enum VectorMath {
  @inline(__always)
  static func erf(_ input: Float) -> Float {
    let x = min(max(input, -4), 4)
    let x2 = x * x
    var p: Float = -2.726_142_25e-10
    p = p * x2 + 2.770_681_42e-08
    p = p * x2 - 2.101_024_02e-06
    p = p * x2 - 5.692_506_39e-05
    p = p * x2 - 7.349_906_30e-04
    p = p * x2 - 2.954_599_80e-03
    p = p * x2 - 1.609_603_33e-02
    var q: Float = -1.456_607_18e-05
    q = q * x2 - 2.133_740_55e-04
    q = q * x2 - 1.682_826_97e-03
    q = q * x2 - 7.373_329_17e-03
    q = q * x2 - 1.426_473_91e-02
    return x * p / q
  }

  @inline(__always)
  static func exp(_ input: Float) -> Float {
    let x = min(max(input, -87), 88)
    // Adding 1.5 * 2^23 rounds x log2(e) to an integer held in the low mantissa bits.
    let magic: Float = 12_582_912
    let shifted = x * 1.442_695_04 + magic
    let n = shifted - magic
    // ln 2 split in a part exact in few bits and a correction, so n * ln2 subtracts without rounding error.
    let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4
    var e: Float = 1.0 / 5040
    e = e * r + 1.0 / 720
    e = e * r + 1.0 / 120
    e = e * r + 1.0 / 24
    e = e * r + 1.0 / 6
    e = e * r + 0.5
    e = e * r + 1
    e = e * r + 1
    let exponent = (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23
    return e * Float(bitPattern: exponent)
  }
}
