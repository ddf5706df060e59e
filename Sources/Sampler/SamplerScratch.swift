// Per-worker working memory of the sampler, allocated once and reused for every sample so the hot path never
// allocates: the rows of the context being built, node -> row slot maps (cleared in O(1) by a generation stamp,
// never by a Dictionary), the sampled children and the masked-cell candidates. Not thread-safe: one per worker.
import Store

public final class SamplerScratch: @unchecked Sendable {
  // @unchecked: used by one worker at a time (taken from and returned to the sampler's pool under a lock).
  let capacity: Int
  /// Row slot -> node (real rows) or -1 - example index (task example rows).
  let rowNode: UnsafeMutablePointer<Int32>
  /// Row slot -> database-local table index (the task table, `tableCount`, for example rows).
  let rowTable: UnsafeMutablePointer<Int32>
  /// Row slot -> row slot of its entity (example rows only).
  let rowEntity: UnsafeMutablePointer<Int32>
  /// Cell positions that may be masked (pretraining).
  let candidates: UnsafeMutablePointer<Int32>
  let picks: UnsafeMutablePointer<Int32>
  let pickCapacity: Int
  /// Floyd's membership set: open addressing, cleared by `pickStamp`.
  let setKeys: UnsafeMutablePointer<Int32>
  let setStamps: UnsafeMutablePointer<UInt32>
  let setMask: Int
  var pickStamp: UInt32 = 0
  /// Per database: node -> row slot, valid where `nodeStamp[node] == generation`.
  var nodeStamp: [OwnedBuffer<UInt32>]
  var nodeSlot: [OwnedBuffer<Int32>]
  var generation: UInt32 = 0
  /// Cyclic features of recently written timestamps: real columns repeat values a lot (dates, hours), so a small
  /// direct-mapped cache saves most of the sin/cos; a hit copies what `TimestampFeatures.cyclic` computed, so
  /// batches do not depend on it.
  let cyclicKeys: UnsafeMutablePointer<Int64>
  let cyclicValues: UnsafeMutablePointer<Float>
  static let cyclicSlots = 16384

  init(contextLength: Int, childCap: Int, nodeCounts: [Int]) {
    capacity = contextLength
    rowNode = .allocate(capacity: contextLength)
    rowTable = .allocate(capacity: contextLength)
    rowEntity = .allocate(capacity: contextLength)
    candidates = .allocate(capacity: contextLength)
    pickCapacity = childCap
    picks = .allocate(capacity: childCap)
    var size = 16
    while size < 4 * childCap { size <<= 1 }
    setMask = size - 1
    setKeys = .allocate(capacity: size)
    setStamps = .allocate(capacity: size)
    setStamps.initialize(repeating: 0, count: size)
    setKeys.initialize(repeating: 0, count: size)
    nodeStamp = nodeCounts.map { OwnedBuffer(count: $0, repeating: 0) }
    nodeSlot = nodeCounts.map { OwnedBuffer(count: $0, repeating: -1) }
    cyclicKeys = .allocate(capacity: Self.cyclicSlots)
    cyclicKeys.initialize(repeating: .min, count: Self.cyclicSlots)
    cyclicValues = .allocate(capacity: Self.cyclicSlots * TimestampFeatures.cyclicCount)
    cyclicValues.initialize(repeating: 0, count: Self.cyclicSlots * TimestampFeatures.cyclicCount)
  }

  /// Writes the cyclic features of `micros` into `out[0..<14]`, from the cache when it holds them.
  @inline(__always) func cyclic(_ micros: Int64, into out: UnsafeMutablePointer<Float>) {
    let width = TimestampFeatures.cyclicCount
    let mixed = UInt64(bitPattern: micros) &* 0x9E37_79B9_7F4A_7C15
    let slot = Int(truncatingIfNeeded: mixed >> 50) & (Self.cyclicSlots - 1)
    let cached = cyclicValues + slot * width
    if cyclicKeys[slot] != micros || micros == .min {
      TimestampFeatures.cyclic(micros, into: cached)
      cyclicKeys[slot] = micros
    }
    out.update(from: cached, count: width)
  }

  deinit {
    rowNode.deallocate()
    rowTable.deallocate()
    rowEntity.deallocate()
    candidates.deallocate()
    picks.deallocate()
    setKeys.deallocate()
    setStamps.deallocate()
    cyclicKeys.deallocate()
    cyclicValues.deallocate()
  }

  /// Starts a new context: every node of every database becomes unvisited.
  func nextGeneration() {
    generation &+= 1
    guard generation == 0 else { return }
    // The stamp wrapped around (after 4 billion samples): clear for real once.
    for stamps in nodeStamp { stamps.base.update(repeating: 0, count: stamps.count) }
    generation = 1
  }

  /// Up to `k` of `0..<n` chosen uniformly without replacement (Floyd), in uniformly random order, into `picks`.
  func choose(_ k: Int, of n: Int, random: inout SampleRandom) -> Int {
    let n = min(n, Int(Int32.max))
    let count = min(k, n, pickCapacity)
    if count == n {
      for index in 0..<n { picks[index] = Int32(index) }
    } else {
      pickStamp &+= 1
      if pickStamp == 0 {
        setStamps.update(repeating: 0, count: setMask + 1)
        pickStamp = 1
      }
      var chosen = 0
      for j in (n - count)..<n {
        let t = random.below(j + 1)
        picks[chosen] = Int32(insert(t) ? t : j)
        if picks[chosen] == Int32(j) { _ = insert(j) }
        chosen += 1
      }
    }
    for index in stride(from: count - 1, to: 0, by: -1) {
      let other = random.below(index + 1)
      let held = picks[index]
      picks[index] = picks[other]
      picks[other] = held
    }
    return count
  }

  /// Adds `value` to the membership set; false when it was already there.
  private func insert(_ value: Int) -> Bool {
    var slot = Int(truncatingIfNeeded: SampleRandom.mix(UInt64(value))) & setMask
    while setStamps[slot] == pickStamp {
      if setKeys[slot] == Int32(truncatingIfNeeded: value) { return false }
      slot = (slot + 1) & setMask
    }
    setStamps[slot] = pickStamp
    setKeys[slot] = Int32(truncatingIfNeeded: value)
    return true
  }
}
