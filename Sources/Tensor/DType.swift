// Element types a tensor can hold, and the f16/bf16 <-> f32 conversions.
// Compute is always f32: f16/bf16 are storage formats only (weights on disk, activations in transit).
// Refuses: arithmetic in half precision.

/// How the elements of a tensor are stored.
public enum DType: String, Sendable, CaseIterable {
  case f32
  case f16
  case bf16
  /// Indices (token ids, class targets) for embedding lookups and cross-entropy.
  case i32

  /// Bytes per element.
  public var byteSize: Int {
    switch self {
    case .f32, .i32: return 4
    case .f16, .bf16: return 2
    }
  }
}

/// Conversions between half-precision storage and f32. `Float16` compiles to F16C instructions under
/// `-target-cpu haswell`.
public enum HalfPrecision {
  /// IEEE binary16 bits to f32 (exact).
  @inlinable public static func f16ToF32(_ bits: UInt16) -> Float {
    Float(Float16(bitPattern: bits))
  }

  /// f32 to IEEE binary16 bits, round to nearest even; overflow goes to infinity.
  @inlinable public static func f32ToF16(_ value: Float) -> UInt16 {
    Float16(value).bitPattern
  }

  /// bfloat16 bits to f32 (exact: bf16 is the top half of an f32).
  @inlinable public static func bf16ToF32(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
  }

  /// f32 to bfloat16 bits, round to nearest even; NaN stays a quiet NaN.
  @inlinable public static func f32ToBF16(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
    let roundingBias = UInt32(0x7FFF) + ((bits >> 16) & 1)
    return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
  }

  /// Converts `count` f16 values to f32.
  public static func f16ToF32(
    _ source: UnsafePointer<UInt16>, _ destination: UnsafeMutablePointer<Float>, count: Int
  ) {
    for i in 0..<count { destination[i] = f16ToF32(source[i]) }
  }

  /// Converts `count` bf16 values to f32.
  public static func bf16ToF32(
    _ source: UnsafePointer<UInt16>, _ destination: UnsafeMutablePointer<Float>, count: Int
  ) {
    for i in 0..<count { destination[i] = bf16ToF32(source[i]) }
  }

  /// Converts `count` f32 values to f16.
  public static func f32ToF16(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<UInt16>, count: Int
  ) {
    for i in 0..<count { destination[i] = f32ToF16(source[i]) }
  }

  /// Converts `count` f32 values to bf16.
  public static func f32ToBF16(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<UInt16>, count: Int
  ) {
    for i in 0..<count { destination[i] = f32ToBF16(source[i]) }
  }
}
