// A fixed-size heap array owned by a class, read without bounds checks on the hot path. Used for the arrays the
// sampler derives once per database (table of each node, cells per row, task example indexes); every index into
// them is validated when they are built.
final class OwnedBuffer<T: BitwiseCopyable>: @unchecked Sendable {
  // @unchecked: written only while being built (before it is shared), read-only afterwards.
  let base: UnsafeMutablePointer<T>
  let count: Int

  init(count: Int, repeating value: T) {
    self.count = count
    base = .allocate(capacity: max(count, 1))
    base.initialize(repeating: value, count: max(count, 1))
  }

  init(_ values: [T]) {
    count = values.count
    base = .allocate(capacity: max(count, 1))
    values.withUnsafeBufferPointer { source in
      if let start = source.baseAddress { base.initialize(from: start, count: source.count) }
    }
  }

  deinit { base.deallocate() }

  @inline(__always) subscript(index: Int) -> T {
    get { base[index] }
    set { base[index] = newValue }
  }
}
