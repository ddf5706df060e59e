// The SQLite queue and workers: chunking, ordered output, leases that expire and are taken over, stale holders
// refused, cancellation, priorities, validation, graceful shutdown, restart, and a worker process killed with
// SIGKILL in the middle of a job.
import Foundation
import JobQueue
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct SQLiteQueueTests {
  @Test func chunkPlanCoversEveryItemOnce() {
    #expect(ChunkPlan(totalItems: 10, chunkSize: 4).ranges == [0..<4, 4..<8, 8..<10])
    #expect(ChunkPlan(totalItems: 8, chunkSize: 4).ranges == [0..<4, 4..<8])
    #expect(ChunkPlan(totalItems: 0, chunkSize: 4).ranges.isEmpty)
  }

  @Test func jobRunsToAnOrderedOutput() async throws {
    let data = TemporaryDataDirectory()
    let queue = try data.queue()
    let texts = Texts.numbered(23)
    let job = try await data.submit(queue, texts: texts, chunkSize: 5)
    #expect(job.state == .queued && job.chunkCount == 5 && job.totalItems == 23)
    var worker = data.worker(queue)
    worker = Worker(
      queue: queue, executors: worker.executors, files: data.files,
      options: WorkerOptions(id: "w", concurrency: 2, leaseSeconds: 5, pollSeconds: 0.02))
    await worker.runUntilIdle()
    let done = try #require(try await queue.job(job.id))
    #expect(done.state == .succeeded)
    #expect(done.doneItems == 23 && done.doneChunks == 5)
    try await EmbeddingResult.expectComplete(path: done.outputPath, texts: texts)
    #expect(!FileManager.default.fileExists(atPath: data.path + "/chunks/\(job.id)"))
  }

  @Test func expiredLeaseIsTakenOverAndTheStaleHolderRefused() async throws {
    let data = TemporaryDataDirectory()
    let queue = try data.queue()
    let job = try await data.submit(queue, texts: Texts.numbered(4), chunkSize: 4)
    // A lease of seconds: on 2 loaded CI cores a 0.2 s lease could expire before the second claim is even made.
    let first = try #require(try await queue.claim(worker: "a", leaseSeconds: 2, globalLimit: nil))
    #expect(try await queue.claim(worker: "b", leaseSeconds: 5, globalLimit: nil) == nil)
    try await Task.sleep(for: .milliseconds(2_200))
    let second = try #require(try await queue.claim(worker: "b", leaseSeconds: 5, globalLimit: nil))
    #expect(second.jobID == job.id && second.index == first.index && second.token != first.token)
    #expect(second.attempt == 2)
    #expect(try await !queue.renew(first, leaseSeconds: 5))
    #expect(try await !queue.complete(first))
    #expect(try await queue.complete(second))
    let assemble = try #require(try await queue.claim(worker: "b", leaseSeconds: 5, globalLimit: nil))
    #expect(assemble.phase == .assemble)
  }

  @Test func globalLimitHoldsBackClaims() async throws {
    let data = TemporaryDataDirectory()
    let queue = try data.queue()
    _ = try await data.submit(queue, texts: Texts.numbered(9), chunkSize: 3)
    #expect(try await queue.claim(worker: "a", leaseSeconds: 5, globalLimit: 2) != nil)
    #expect(try await queue.claim(worker: "b", leaseSeconds: 5, globalLimit: 2) != nil)
    #expect(try await queue.claim(worker: "c", leaseSeconds: 5, globalLimit: 2) == nil)
    #expect(try await queue.counts().leasedChunks == 2)
  }

  @Test func higherPriorityRunsFirst() async throws {
    let data = TemporaryDataDirectory()
    let queue = try data.queue()
    let low = try await data.submit(queue, texts: Texts.numbered(2), chunkSize: 2)
    let high = try await data.submit(queue, texts: Texts.numbered(2), chunkSize: 2, priority: 5)
    let lease = try #require(try await queue.claim(worker: "a", leaseSeconds: 5, globalLimit: nil))
    #expect(lease.jobID == high.id)
    #expect(lease.jobID != low.id)
  }

  @Test func cancelledJobIsNotClaimedAndStopsItsWorker() async throws {
    let data = TemporaryDataDirectory()
    let queue = try data.queue()
    let job = try await data.submit(queue, texts: Texts.numbered(6), chunkSize: 2)
    let lease = try #require(try await queue.claim(worker: "a", leaseSeconds: 5, globalLimit: nil))
    let cancelled = try #require(try await queue.cancel(job.id))
    #expect(cancelled.state == .cancelled)
    #expect(try await queue.claim(worker: "a", leaseSeconds: 5, globalLimit: nil) == nil)
    #expect(try await !queue.renew(lease, leaseSeconds: 5))
    #expect(try await queue.cancel("job-none") == nil)
  }

  @Test func invalidInputNamesTheField() async throws {
    let registry = TemporaryDataDirectory.executors()
    func field(_ spec: JobSpec) async -> String? {
      do {
        _ = try await registry.plan(spec)
        return nil
      } catch let error as JobSpecError { return error.field } catch { return "other: \(error)" }
    }
    #expect(await field(JobSpec(kind: .embed)) == "embed")
    #expect(await field(JobSpec(kind: .embed, embed: EmbedInput(texts: []))) == "embed.embedder")
    #expect(
      await field(JobSpec(kind: .embed, embed: EmbedInput(texts: [], embedder: "hashing"))) == "embed.texts")
    let ok = EmbedInput(texts: ["a"], embedder: "hashing")
    #expect(await field(JobSpec(kind: .embed, embed: ok, slaSeconds: -1)) == "sla_seconds")
    #expect(await field(JobSpec(kind: .embed, embed: ok, chunkSize: 0)) == "chunk_size")
    #expect(await field(JobSpec(kind: .embed, embed: ok, output: "rel.parquet")) == "output")
    #expect(await field(JobSpec(kind: .embed, embed: ok, output: "/tmp/../etc/x.parquet")) == "output")
    #expect(await field(JobSpec(kind: .embed, embed: ok, output: "/tmp/x.txt")) == "output")
    #expect(await field(JobSpec(kind: .predict)) == "kind")
    let parquet = EmbedInput(parquet: "/nonexistent.parquet", textColumn: "t", embedder: "hashing")
    #expect(await field(JobSpec(kind: .embed, embed: parquet)) == "embed.parquet")
    #expect(await field(JobSpec(kind: .embed, embed: ok)) == nil)
  }

  @Test func shutdownGivesTheChunkBackAndARestartFinishesTheJob() async throws {
    let data = TemporaryDataDirectory()
    let texts = Texts.numbered(12)
    let jobID: String
    do {
      let queue = try data.queue()
      jobID = try await data.submit(queue, texts: texts, chunkSize: 3).id
      let worker = data.worker(queue, pause: .milliseconds(100))
      let running = Task { await worker.run() }
      #expect(try await waitUntil(seconds: 10) { try await queue.job(jobID)?.doneChunks ?? 0 >= 1 })
      running.cancel()
      await running.value
      let counts = try await queue.counts()
      #expect(counts.leasedChunks == 0)
      #expect(try await queue.job(jobID)?.state == .running)
    }
    let reopened = try data.queue()
    await data.worker(reopened).runUntilIdle()
    let done = try #require(try await reopened.job(jobID))
    #expect(done.state == .succeeded)
    try await EmbeddingResult.expectComplete(path: done.outputPath, texts: texts)
  }

  @Test func workerKilledMidJobLosesItsLeaseAndTheJobCompletesExactly() async throws {
    let data = TemporaryDataDirectory()
    let queue = try data.queue()
    try await expectKilledWorkerJobCompletes(queue, data: data)
  }
}
