// The plug-in point for job kinds: an executor validates a job's input (counting its items) and turns one
// chunk of items into one Parquet file. `embed` is implemented here; `predict` registers its own executor
// (module Model) with the same two verbs.
// Refuses: nothing by itself; a kind with no registered executor is refused at submission.
import Foundation

public protocol ChunkExecutor: Sendable {
  var kind: JobKind { get }
  /// Checks the kind's input (files exist, columns are there) and returns how many items the job has.
  func plan(_ spec: JobSpec) async throws -> Int
  /// Runs items `items` of the job and writes them, with their item numbers, to the Parquet file `output`
  /// (atomically: write-then-rename). Checks `Task.isCancelled` between batches.
  func execute(_ spec: JobSpec, items: Range<Int>, output: String) async throws
  /// The planned spec as it is stored: defaults the result depends on filled in (so every worker runs the job
  /// alike) and `cellsPerItem` set, when the kind has one.
  func resolve(_ spec: JobSpec) async throws -> JobSpec
}

extension ChunkExecutor {
  public func resolve(_ spec: JobSpec) async throws -> JobSpec { spec }
}

/// An executor error that retrying will not fix (the job fails instead of the chunk being retried).
public struct PermanentJobError: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// The executors a service or worker can run, by kind.
public struct ExecutorRegistry: Sendable {
  private var executors: [JobKind: any ChunkExecutor] = [:]

  public init(_ executors: [any ChunkExecutor]) {
    for executor in executors { self.executors[executor.kind] = executor }
  }

  public subscript(kind: JobKind) -> (any ChunkExecutor)? { executors[kind] }

  public var kinds: [JobKind] { JobKind.allCases.filter { executors[$0] != nil } }

  /// Validates a submission: the shared fields, the paths against `roots` (before any file is opened), then the
  /// kind's own input. Returns the item count.
  public func plan(_ spec: JobSpec, roots: DataRoots? = nil) async throws -> Int {
    try spec.validateCommon()
    guard let executor = executors[spec.kind] else {
      throw JobSpecError(field: "kind", "no executor for '\(spec.kind.rawValue)' is available in this build")
    }
    try roots?.check(spec)
    return try await executor.plan(spec)
  }

  /// An already planned `spec` as its executor completes it for storage.
  public func resolve(_ spec: JobSpec) async throws -> JobSpec {
    var spec = spec
    spec.cellsPerItem = nil
    spec.tokensPerItem = nil
    return try await executors[spec.kind]?.resolve(spec) ?? spec
  }
}
