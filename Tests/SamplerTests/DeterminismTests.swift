// Determinism and the producer queue: the same settings give byte-identical batches on 1 and 2 threads, through
// `fill` and through BatchStream; a different seed or epoch gives different batches; the stream stops cleanly.
import Foundation
import Store
import Testing

@testable import Sampler

private func bytes(_ batch: Batch) -> [UInt8] { batch.withUnsafeBytes { Array($0) } }

@Test(arguments: ["f1", "nycflights13"])
func batchesDoNotDependOnThreadCount(name: String) async throws {
  let db = try await ProcessedFixtures.shared.database(name)
  for mode in [SamplingMode.pretrain, .task(name: db.metadata.tasks[0].name, split: .train, shuffle: true)] {
    let sampler = try Sampler(database: db, settings: SamplerSettings(mode: mode, batchSize: 8, seed: 3))
    let one = sampler.makeBatch()
    let two = sampler.makeBatch()
    for index in [0, 5] {
      sampler.fill(one, epoch: 1, index: index, threads: 1)
      sampler.fill(two, epoch: 1, index: index, threads: 2)
      #expect(bytes(one) == bytes(two), "\(name) \(mode) batch \(index)")
    }
    let other = sampler.makeBatch()
    sampler.fill(other, epoch: 2, index: 5, threads: 2)
    #expect(bytes(other) != bytes(two), "epoch 2 repeats epoch 1")
  }
}

@Test func streamDeliversTheSameBatchesInOrder() async throws {
  let db = try await ProcessedFixtures.shared.database("f1")
  let sampler = try Sampler(
    database: db, settings: SamplerSettings(mode: .pretrain, batchSize: 4, samplesPerEpoch: 40, seed: 9))
  var expected: [[UInt8]] = []
  for index in 0..<sampler.batchesPerEpoch {
    let batch = sampler.makeBatch()
    sampler.fill(batch, epoch: 0, index: index)
    expected.append(bytes(batch))
  }
  for threads in [1, 2] {
    let stream = BatchStream(sampler: sampler, epoch: 0, threads: threads, prefetch: 2)
    var got: [[UInt8]] = []
    while let batch = stream.next() {
      #expect(batch.index == got.count)
      got.append(bytes(batch))
      stream.recycle(batch)
    }
    #expect(got == expected, "\(threads) threads")
  }
}

@Test func streamStopsWhileProducersWait() async throws {
  let db = try await ProcessedFixtures.shared.database("f1")
  let sampler = try Sampler(database: db, settings: SamplerSettings(mode: .pretrain, batchSize: 2))
  let stream = BatchStream(sampler: sampler, epoch: 0, threads: 2, prefetch: 1)
  #expect(stream.next()?.index == 0)
  // Producers are now blocked on a full queue; stop must wake and join them, and next() must end.
  stream.stop()
  #expect(stream.next() == nil)
}

@Test func droppingAStreamStopsItsProducers() async throws {
  let db = try await ProcessedFixtures.shared.database("f1")
  let sampler = try Sampler(database: db, settings: SamplerSettings(mode: .pretrain, batchSize: 2))
  weak var state: Producers?
  do {
    let stream = BatchStream(sampler: sampler, epoch: 0, threads: 2, prefetch: 1)
    state = stream.producersForTesting
    #expect(stream.next() != nil)
  }
  // The stream's deinit joined the producers; each thread lets go of the shared state as it exits (allow it a
  // moment to do so).
  for _ in 0..<500 where state != nil { try await Task.sleep(nanoseconds: 10_000_000) }
  #expect(state == nil)
}

@Test func permutationIsABijection() {
  for count in [1, 2, 3, 7, 64, 1000, 4097] {
    let permutation = EpochPermutation(count: count, seed: 42, epoch: 3)
    let image = Set((0..<count).map { permutation($0) })
    #expect(image.count == count && image.allSatisfy { $0 >= 0 && $0 < count }, "\(count)")
  }
  let a = EpochPermutation(count: 1000, seed: 42, epoch: 0)
  let b = EpochPermutation(count: 1000, seed: 42, epoch: 1)
  #expect((0..<1000).map { a($0) } != (0..<1000).map { b($0) })
}

@Test func childChoiceIsUniformWithoutReplacement() {
  // 5 of 20, 20,000 times: each index should be chosen 5,000 times (binomial sd ~61); picks are distinct.
  let scratch = SamplerScratch(contextLength: 16, childCap: 5, nodeCounts: [])
  var random = SampleRandom(state: 1)
  var counts = [Int](repeating: 0, count: 20)
  var firsts = [Int](repeating: 0, count: 20)
  for _ in 0..<20_000 {
    let k = scratch.choose(5, of: 20, random: &random)
    let picks = (0..<k).map { Int(scratch.picks[$0]) }
    #expect(k == 5 && Set(picks).count == 5)
    for pick in picks { counts[pick] += 1 }
    firsts[picks[0]] += 1
  }
  #expect(counts.allSatisfy { abs($0 - 5000) < 400 }, "\(counts)")
  // The order is random too (a truncated context must not favour early children): first pick uniform over 20.
  #expect(firsts.allSatisfy { abs($0 - 1000) < 200 }, "\(firsts)")
}
