// The PostgreSQL queue against a real server started on loopback: concurrent claims get distinct chunks
// (SKIP LOCKED), expired leases are taken over and stale holders refused, two workers finish a job to an
// ordered output, and a worker process killed with SIGKILL mid-job loses its lease to another.
import Foundation
import JobQueue
import PostgresJobQueue
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite(.enabled(if: TemporaryPostgres.available, "needs Debian's postgresql package (scripts/setup.sh)"))
struct PostgresQueueTests {
  @Test func leasesAreExclusiveExpireAndTwoWorkersFinishInOrder() async throws {
    let server = try TemporaryPostgres()
    let data = TemporaryDataDirectory()
    let queue = try await PostgresJobQueue(url: server.url)
    let texts = Texts.numbered(50)
    let job = try await data.submit(queue, texts: texts, chunkSize: 5)
    #expect(job.chunkCount == 10 && job.state == .queued)

    let claims = try await withThrowingTaskGroup(of: ChunkLease?.self) { group in
      for worker in 0..<6 {
        group.addTask { try await queue.claim(worker: "w\(worker)", leaseSeconds: 10, globalLimit: nil) }
      }
      return try await group.reduce(into: [ChunkLease]()) { if let lease = $1 { $0.append(lease) } }
    }
    #expect(claims.count == 6)
    #expect(Set(claims.map(\.index)).count == 6)
    #expect(try await queue.counts().leasedChunks == 6)
    // Leases of many seconds: the six claims (new connections) must all land before any expires, even on 2 cores
    // at a load of 20.
    try await Task.sleep(for: .milliseconds(10_200))
    let stale = try #require(claims.min { $0.index < $1.index })
    let retaken = try #require(try await queue.claim(worker: "late", leaseSeconds: 0.5, globalLimit: nil))
    #expect(retaken.index == stale.index && retaken.attempt == 2 && retaken.token != stale.token)
    #expect(try await !queue.renew(stale, leaseSeconds: 5))
    #expect(try await queue.claim(worker: "x", leaseSeconds: 5, globalLimit: 1) == nil)

    async let first: Void = data.worker(queue, id: "a", lease: 2, concurrency: 2).runUntilIdle()
    async let second: Void = data.worker(queue, id: "b", lease: 2, concurrency: 2).runUntilIdle()
    _ = await (first, second)
    #expect(try await !queue.complete(stale))
    let done = try #require(try await queue.job(job.id))
    #expect(done.state == .succeeded && done.doneItems == 50 && done.doneChunks == 10)
    try await EmbeddingResult.expectComplete(path: done.outputPath, texts: texts)
    #expect(try await queue.jobs(state: .succeeded, limit: 10).map(\.id) == [job.id])
    #expect(try await queue.cancel(job.id)?.state == .succeeded)
  }

  @Test func workerKilledMidJobLosesItsLeaseAndTheJobCompletesExactly() async throws {
    let server = try TemporaryPostgres()
    let data = TemporaryDataDirectory()
    let queue = try await PostgresJobQueue(url: server.url)
    try await expectKilledWorkerJobCompletes(queue, data: data, helperQueue: server.url)
  }
}
