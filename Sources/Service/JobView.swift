// The JSON shape of a job in responses: state, progress, throughput, ETA, SLA deadline and `at_risk`.
import Foundation
import JobQueue

struct JobView: Encodable, Sendable {
  struct Progress: Encodable, Sendable {
    var itemsDone: Int
    var itemsTotal: Int
    var chunksDone: Int
    var chunksTotal: Int
    var fraction: Double

    enum CodingKeys: String, CodingKey {
      case itemsDone = "items_done"
      case itemsTotal = "items_total"
      case chunksDone = "chunks_done"
      case chunksTotal = "chunks_total"
      case fraction
    }
  }

  var id: String
  var kind: String
  var state: String
  var priority: Int
  var progress: Progress
  var itemsPerSecond: Double?
  var cellsPerSecond: Double?
  var tokensPerSecond: Double?
  var etaSeconds: Double?
  var submittedAt: String
  var startedAt: String?
  var finishedAt: String?
  var slaSeconds: Double?
  var deadline: String?
  var atRisk: Bool
  var error: String?
  var result: String?

  enum CodingKeys: String, CodingKey {
    case id, kind, state, priority, progress, error, result, deadline
    case itemsPerSecond = "items_per_second"
    case cellsPerSecond = "cells_per_second"
    case tokensPerSecond = "tokens_per_second"
    case etaSeconds = "eta_seconds"
    case submittedAt = "submitted_at"
    case startedAt = "started_at"
    case finishedAt = "finished_at"
    case slaSeconds = "sla_seconds"
    case atRisk = "at_risk"
  }

  init(_ job: JobRecord, now: Double) {
    id = job.id
    kind = job.spec.kind.rawValue
    state = job.state.rawValue
    priority = job.spec.priority ?? 0
    progress = Progress(
      itemsDone: job.doneItems, itemsTotal: job.totalItems, chunksDone: job.doneChunks,
      chunksTotal: job.chunkCount,
      fraction: job.totalItems == 0 ? 1 : Double(job.doneItems) / Double(job.totalItems))
    itemsPerSecond = job.itemsPerSecond(now: now)
    cellsPerSecond = job.cellsPerSecond(now: now)
    tokensPerSecond = job.tokensPerSecond(now: now)
    etaSeconds = job.etaSeconds(now: now)
    submittedAt = Self.iso(job.submittedAt)
    startedAt = job.startedAt.map(Self.iso)
    finishedAt = job.finishedAt.map(Self.iso)
    slaSeconds = job.spec.slaSeconds
    deadline = job.deadline.map(Self.iso)
    atRisk = job.atRisk(now: now)
    error = job.error
    result = job.state == .succeeded ? "/v1/jobs/\(job.id)/result" : nil
  }

  static func iso(_ unix: Double) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: Date(timeIntervalSince1970: unix))
  }
}

struct JobListView: Encodable, Sendable {
  var jobs: [JobView]
}
