// Runs blocking work (model batches, loading a checkpoint) on a thread of its own and awaits it, so Swift's small
// cooperative pool (2 threads here) stays free for lease heartbeats and the HTTP server.
import Foundation

enum OwnThread {
  static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
      let thread = Thread {
        do {
          continuation.resume(returning: try work())
        } catch {
          continuation.resume(throwing: error)
        }
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
  }
}
