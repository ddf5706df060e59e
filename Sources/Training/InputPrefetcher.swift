// The next step's model input, built on a background queue while the current step runs: sampling, the cell fields
// and the ModelInput (features, masks and targets copied onto the backend). On a GPU the host work then hides behind
// the device's compute; inputs are deterministic per step, so results are the same as building them in line.
// One build is in flight at a time, into one sampler batch owned by the queue (no build runs outside it).
// Refuses: looking further ahead than one step (memory: one extra input on the device).
import Dispatch
import Model
import Sampler
import Tensor

final class InputPrefetcher: @unchecked Sendable {
  // @unchecked: `ahead` and `batch` are touched only on `queue`, and read by the caller only through `queue.sync`.
  private let source: BatchSource
  private let config: TrainingConfig
  private let backend: any Backend
  private let batch: Batch
  private let queue = DispatchQueue(label: "tributary.training.prefetch")
  private var ahead: (step: Int, input: Result<ModelInput, any Error>)?

  init(source: BatchSource, config: TrainingConfig, backend: any Backend) {
    (self.source, self.config, self.backend) = (source, config, backend)
    batch = source.sampler.makeBatch()
  }

  /// The input of `step` (the prefetched one when it was requested, else built now), and the build of `step + 1`
  /// started when `step + 1 < end`.
  func input(step: Int, end: Int) throws -> ModelInput {
    let current = try queue.sync { () throws -> ModelInput in
      let ready = ahead
      ahead = nil
      if let ready, ready.step == step { return try ready.input.get() }
      return try build(step)
    }
    if step + 1 < end {
      queue.async { [self] in ahead = (step + 1, Result { try build(step + 1) }) }
    }
    return current
  }

  private func build(_ step: Int) throws -> ModelInput {
    try source.input(step: step, into: batch, config: config, on: backend)
  }
}
