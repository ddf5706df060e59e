// Buffer helpers shared by the codecs: non-null base addresses for empty buffers, output arrays filled by C
// functions, and checked conversions of sizes to the C integer types. Nothing here allocates per byte.

extension Codecs {
  /// Runs `body` with a buffer of the same count whose base address is never nil (C libraries reject null even
  /// for zero lengths).
  static func withNonNullBase<R>(
    _ buffer: UnsafeMutableRawBufferPointer, _ body: (UnsafeMutableRawBufferPointer) throws(CodecError) -> R
  ) throws(CodecError) -> R {
    if buffer.baseAddress != nil { return try body(buffer) }
    let result = withUnsafeTemporaryAllocation(byteCount: 1, alignment: 1) { scratch in
      Result { () throws(CodecError) -> R in
        try body(UnsafeMutableRawBufferPointer(start: scratch.baseAddress, count: 0))
      }
    }
    return try result.get()
  }

  static func withNonNullBase<R>(
    _ buffer: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws(CodecError) -> R
  ) throws(CodecError) -> R {
    if buffer.baseAddress != nil { return try body(buffer) }
    let result = withUnsafeTemporaryAllocation(byteCount: 1, alignment: 1) { scratch in
      Result { () throws(CodecError) -> R in
        try body(UnsafeRawBufferPointer(start: scratch.baseAddress, count: 0))
      }
    }
    return try result.get()
  }

  /// Builds an array of at most `capacity` bytes that `fill` writes and returns the length of.
  static func makeOutput(
    capacity: Int, _ fill: (UnsafeMutableRawBufferPointer) throws(CodecError) -> Int
  ) throws(CodecError) -> [UInt8] {
    var failure: CodecError?
    let bytes = [UInt8](unsafeUninitializedCapacity: max(capacity, 1)) { buffer, count in
      let result = Result { () throws(CodecError) -> Int in
        try fill(UnsafeMutableRawBufferPointer(start: buffer.baseAddress, count: capacity))
      }
      switch result {
      case .success(let written): count = min(max(written, 0), capacity)
      case .failure(let error):
        failure = error
        count = 0
      }
    }
    if let failure { throw failure }
    return bytes
  }
}

/// Converts a byte count to a C integer type, throwing when it does not fit.
func cSize<T: FixedWidthInteger>(_ value: Int, _ codec: CompressionCodec, _ what: String) throws(CodecError)
  -> T
{
  guard let converted = T(exactly: value) else {
    throw CodecError(codec, "\(what) of \(value) bytes exceeds the library's limit of \(T.max)")
  }
  return converted
}
