// One chunk under a lease: the work runs in its own task beside a heartbeat that renews the lease every third
// of its length and cancels the work when the lease is lost or the job is no longer running.
import Foundation

extension Worker {
  func process(_ lease: ChunkLease) async {
    let queue = self.queue
    let work = Task { try await perform(lease) }
    let heartbeat = Task {
      while !Task.isCancelled {
        try await Task.sleep(for: .seconds(options.leaseSeconds / 3))
        if try await !queue.renew(lease, leaseSeconds: options.leaseSeconds) {
          Self.logger.info("chunk \(lease.index) of \(lease.jobID): lease lost or job stopped")
          work.cancel()
          return
        }
      }
    }
    defer { heartbeat.cancel() }
    do {
      try await withTaskCancellationHandler {
        try await work.value
      } onCancel: {
        work.cancel()
      }
      heartbeat.cancel()
      // Not cancellable: once the output is in place, recording it must not be skipped by a shutdown.
      let completed = try await Task { try await queue.complete(lease) }.value
      if completed && lease.phase == .assemble { files.removeChunks(jobID: lease.jobID) }
    } catch {
      await settle(lease, after: error)
    }
  }

  /// After a failed or interrupted chunk: give it back on shutdown, fail the job on a permanent error, and
  /// otherwise leave the lease to expire so the chunk is retried (and counted against its attempts).
  func settle(_ lease: ChunkLease, after error: any Error) async {
    let queue = self.queue
    let message = "\(error)"
    if Task.isCancelled {
      _ = try? await Task { try await queue.release(lease) }.value
      Self.logger.info("chunk \(lease.index) of \(lease.jobID) given back to the queue")
    } else if error is CancellationError {
      return
    } else if error is PermanentJobError || error is JobSpecError {
      _ = try? await Task { try await queue.fail(lease, message: message) }.value
    } else {
      Self.logger.warning(
        "chunk \(lease.index) of \(lease.jobID) (attempt \(lease.attempt)) failed: \(message)")
    }
  }

  func perform(_ lease: ChunkLease) async throws {
    guard let job = try await queue.job(lease.jobID) else { throw PermanentJobError("job vanished") }
    switch lease.phase {
    case .work:
      guard let executor = executors[job.spec.kind] else {
        throw PermanentJobError("this worker has no executor for '\(job.spec.kind.rawValue)'")
      }
      try files.prepareChunkDirectory(jobID: job.id)
      try await executor.execute(
        job.spec, items: lease.items, output: files.chunkPath(jobID: job.id, index: lease.index))
    case .assemble:
      try files.assemble(jobID: job.id, chunkCount: job.chunkCount, output: job.outputPath)
    }
  }
}
