// The tensor value: a shape and strides over a shared `Storage`. Views (reshape, transpose, slice,
// row ranges) share the storage without copying. Kernels take dense row-major f32 tensors.
// Refuses: implicit copies (call `backend.contiguous(_:)`), implicit dtype conversion, and pointer escape.

/// A view of `shape` over `storage`, with element strides and an element offset.
public struct Tensor: Sendable {
  public let storage: Storage
  public let dtype: DType
  public let shape: [Int]
  /// Element strides per dimension (row-major dense: last is 1).
  public let strides: [Int]
  /// Element offset of `[0, 0, ...]` from the start of the storage.
  public let offset: Int

  public init(storage: Storage, dtype: DType, shape: [Int], strides: [Int]? = nil, offset: Int = 0) {
    self.storage = storage
    self.dtype = dtype
    self.shape = shape
    self.strides = strides ?? Tensor.denseStrides(shape)
    self.offset = offset
  }

  /// Row-major strides for a dense tensor of `shape`.
  public static func denseStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[axis] = running
      running *= shape[axis]
    }
    return strides
  }

  /// Number of elements.
  public var count: Int { shape.reduce(1, *) }
  public var rank: Int { shape.count }

  /// Whether the elements are dense and row-major (size-1 dimensions may have any stride).
  public var isContiguous: Bool {
    var expected = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
      if strides[axis] != expected { return false }
      expected *= shape[axis]
    }
    return true
  }

  /// The shape with all leading dimensions folded into rows: `[..., C]` -> `(rows, C)`.
  public var rowsAndColumns: (rows: Int, columns: Int) {
    guard let last = shape.last else { return (1, 1) }
    return (last == 0 ? 0 : count / last, last)
  }
}

// MARK: - Views

extension Tensor {
  /// The same elements with a new shape; needs a contiguous tensor.
  public func reshaped(_ newShape: [Int]) throws -> Tensor {
    guard isContiguous else { throw TensorError.notContiguous(what: "reshape") }
    guard newShape.reduce(1, *) == count, newShape.allSatisfy({ $0 >= 0 }) else {
      throw TensorError.shapeMismatch(
        what: "reshape to \(newShape)", expected: "\(count) elements", found: shape)
    }
    return Tensor(storage: storage, dtype: dtype, shape: newShape, offset: offset)
  }

  /// A view with axes `a` and `b` swapped (no copy; the result is strided).
  public func transposed(_ a: Int, _ b: Int) throws -> Tensor {
    guard shape.indices.contains(a), shape.indices.contains(b) else {
      throw TensorError.invalidArgument(what: "transpose", detail: "axes \(a), \(b) of rank \(rank)")
    }
    var newShape = shape
    var newStrides = strides
    newShape.swapAt(a, b)
    newStrides.swapAt(a, b)
    return Tensor(storage: storage, dtype: dtype, shape: newShape, strides: newStrides, offset: offset)
  }

  /// A view of `range` along `axis` (no copy). Rows of a contiguous tensor stay contiguous.
  public func slice(axis: Int, _ range: Range<Int>) throws -> Tensor {
    guard shape.indices.contains(axis), range.lowerBound >= 0, range.upperBound <= shape[axis] else {
      throw TensorError.invalidArgument(
        what: "slice", detail: "range \(range) on axis \(axis) of shape \(shape)")
    }
    var newShape = shape
    newShape[axis] = range.count
    return Tensor(
      storage: storage, dtype: dtype, shape: newShape, strides: strides,
      offset: offset + range.lowerBound * strides[axis])
  }

  /// Byte offset of the first element in the storage.
  var byteOffset: Int { offset * dtype.byteSize }

  /// Storage elements a view touches: the end of the furthest element, for bounds checks.
  var extent: Int {
    guard count > 0 else { return offset }
    return offset + zip(shape, strides).reduce(0) { $0 + ($1.0 - 1) * max($1.1, 0) } + 1
  }

  /// Whether every element of the view lies inside its storage (negative strides included).
  var isInBounds: Bool {
    guard count > 0 else { return offset >= 0 }
    let lowest = offset + zip(shape, strides).reduce(0) { $0 + ($1.0 - 1) * min($1.1, 0) }
    return lowest >= 0 && extent * dtype.byteSize <= storage.byteCount
  }
}

// MARK: - Host access

extension Tensor {
  /// Calls `body` with the f32 elements of a contiguous host tensor.
  public func withUnsafeMutableFloats<R>(
    what: String = "tensor", _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
  ) throws -> R {
    try withUnsafeMutableElements(of: Float.self, dtype: .f32, what: what, body)
  }

  /// Calls `body` with the f32 elements of a contiguous host tensor, read-only.
  public func withUnsafeFloats<R>(
    what: String = "tensor", _ body: (UnsafeBufferPointer<Float>) throws -> R
  ) throws -> R {
    try withUnsafeMutableFloats(what: what) { try body(UnsafeBufferPointer($0)) }
  }

  /// Calls `body` with the i32 elements of a contiguous host tensor.
  public func withUnsafeMutableInt32s<R>(
    what: String = "tensor", _ body: (UnsafeMutableBufferPointer<Int32>) throws -> R
  ) throws -> R {
    try withUnsafeMutableElements(of: Int32.self, dtype: .i32, what: what, body)
  }

  /// Calls `body` with the raw 16-bit elements of a contiguous f16 or bf16 host tensor.
  public func withUnsafeMutableHalfBits<R>(
    what: String = "tensor", _ body: (UnsafeMutableBufferPointer<UInt16>) throws -> R
  ) throws -> R {
    guard dtype == .f16 || dtype == .bf16 else {
      throw TensorError.dtypeMismatch(what: what, expected: .f16, found: dtype)
    }
    return try withUnsafeMutableElements(of: UInt16.self, dtype: dtype, what: what, body)
  }

  private func withUnsafeMutableElements<E, R>(
    of: E.Type, dtype expected: DType, what: String, _ body: (UnsafeMutableBufferPointer<E>) throws -> R
  ) throws -> R {
    guard dtype == expected else {
      throw TensorError.dtypeMismatch(what: what, expected: expected, found: dtype)
    }
    guard isContiguous else { throw TensorError.notContiguous(what: what) }
    guard isInBounds else {
      throw TensorError.invalidArgument(what: what, detail: "view runs past the end of its storage")
    }
    return try storage.withUnsafeMutableBytes(what: what) { bytes in
      guard let base = bytes.baseAddress else { throw TensorError.notHostMemory(what: what) }
      let typed = (base + byteOffset).bindMemory(to: E.self, capacity: count)
      return try body(UnsafeMutableBufferPointer(start: typed, count: count))
    }
  }
}
