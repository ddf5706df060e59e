// Which contexts of each global batch a data-parallel rank trains on, and the batch source that samples them. The
// sampler is deterministic per (epoch, context index), so rank r of N, with a sampler of B/N contexts per batch,
// fills local batch i*N + r: contexts (i*N + r)*B/N ..< (i*N + r + 1)*B/N, exactly rank r's slice of global batch i.
// With one rank this is today's single-process order, context for context.
// Refuses: a global batch size that the ranks do not divide.
import Model
import Sampler
import Tensor

/// Rank r's slice of every global batch.
public struct BatchShard: Sendable, Equatable {
  public let globalBatchSize: Int
  public let rank: Int
  public let worldSize: Int

  public init(batchSize: Int, communicator: any Communicator) throws {
    try self.init(globalBatchSize: batchSize, rank: communicator.rank, worldSize: communicator.worldSize)
  }

  public init(globalBatchSize: Int, rank: Int, worldSize: Int) throws {
    guard worldSize > 0, (0..<worldSize).contains(rank), globalBatchSize % worldSize == 0 else {
      throw ModelError.invalidConfig(
        "batch size \(globalBatchSize) must be a multiple of the \(worldSize) data-parallel ranks (rank \(rank))"
      )
    }
    (self.globalBatchSize, self.rank, self.worldSize) = (globalBatchSize, rank, worldSize)
  }

  public var localBatchSize: Int { globalBatchSize / worldSize }

  /// Global batches per epoch of `samplesPerEpoch` samples (the last one padded).
  public func globalBatchesPerEpoch(samplesPerEpoch: Int) -> Int {
    (samplesPerEpoch + globalBatchSize - 1) / globalBatchSize
  }

  /// The (epoch, local batch index) this rank fills at `step`, for a sampler of `localBatchSize` contexts.
  public func samplerPosition(step: Int, samplesPerEpoch: Int) -> (epoch: Int, index: Int) {
    let perEpoch = max(globalBatchesPerEpoch(samplesPerEpoch: samplesPerEpoch), 1)
    return (step / perEpoch, (step % perEpoch) * worldSize + rank)
  }
}

/// The sampler, this rank's shard, and what turns a batch into model input.
struct BatchSource {
  let sampler: Sampler
  let shard: BatchShard
  let embeddings: StoreEmbeddings
  let candidatePool: [Int32]?

  func input(step: Int, into batch: Batch, config: TrainingConfig, on backend: any Backend) throws
    -> ModelInput
  {
    let position = shard.samplerPosition(step: step, samplesPerEpoch: sampler.samplesPerEpoch)
    sampler.fill(batch, epoch: position.epoch, index: position.index, threads: config.threads)
    return try ModelInput(
      fields: embeddings.fields(of: batch), embeddings: embeddings.embeddings, config: config.model,
      on: backend,
      candidatePool: candidatePool)
  }
}
