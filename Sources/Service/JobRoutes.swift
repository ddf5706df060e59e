// The `/v1/jobs` routes: submit (validated before queuing, 202 with the id), status, list with filters,
// cancel, and the result streamed from disk.
// Refuses: bodies over the size limit (413), invalid JSON or fields (400/422 naming the field), paths outside the
// data roots (422 naming the field, checked before any file is opened), unknown ids (404),
// results of jobs that have not succeeded (409).
import Foundation
import HTTPTypes
import Hummingbird
import JobQueue

struct JobRoutes: Sendable {
  let queue: any JobQueue
  let executors: ExecutorRegistry
  let files: JobFiles
  let maxBodyBytes: Int
  let metrics: ServiceMetrics
  let roots: DataRoots

  func register(on group: RouterGroup<BasicRequestContext>) {
    group.post("jobs") { request, context in try await submit(request, context: context) }
    group.get("jobs") { request, context in try await list(request, context: context) }
    group.get("jobs/:id") { _, context in try await status(context.parameters.require("id")) }
    group.delete("jobs/:id") { _, context in try await cancel(context.parameters.require("id")) }
    group.get("jobs/:id/result") { _, context in
      try await result(context.parameters.require("id"), context: context)
    }
  }

  func submit(_ request: Request, context: BasicRequestContext) async throws -> Response {
    var request = request
    let body: ByteBuffer
    do { body = try await request.collectBody(upTo: maxBodyBytes) } catch {
      throw APIError(status: .contentTooLarge, message: "the body is larger than \(maxBodyBytes) bytes")
    }
    var spec: JobSpec
    let data = Data(buffer: body)
    do { spec = try JSONDecoder().decode(JobSpec.self, from: data) } catch {
      throw DecodingMessages.describe(error)
    }
    if let json = try? JSONSerialization.jsonObject(with: data),
      let field = JobSpec.unknownFields(in: json).first
    {
      let hint =
        field == "predict.seed_rows" || field == "predict.table" ? " (explicit seeds: predict.seeds)" : ""
      throw APIError(status: .unprocessableContent, field: field, message: "is not a field of a job" + hint)
    }
    let total = try await executors.plan(spec, roots: roots)
    spec = try await executors.resolve(spec)
    let chunkSize = spec.chunkSize ?? 256
    let id = JobIDs.make()
    let job = try await queue.submit(
      spec, totalItems: total, chunkSize: chunkSize,
      outputPath: spec.output ?? files.defaultOutput(jobID: id),
      id: id)
    metrics.submitted.increment()
    var response = try json(JobView(job, now: Date().timeIntervalSince1970), status: .accepted)
    response.headers[.location] = "/v1/jobs/\(job.id)"
    return response
  }

  func status(_ id: String) async throws -> Response {
    guard let job = try await queue.job(id) else { throw notFound(id) }
    return try json(JobView(job, now: Date().timeIntervalSince1970))
  }

  func list(_ request: Request, context: BasicRequestContext) async throws -> Response {
    let parameters = request.uri.queryParameters
    var state: JobState?
    if let raw = parameters["state"] {
      guard let parsed = JobState(rawValue: String(raw)) else {
        throw APIError(
          status: .badRequest, field: "state",
          message: "expected one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      state = parsed
    }
    var limit = 100
    if let raw = parameters["limit"] {
      guard let parsed = Int(String(raw)), (1...1000).contains(parsed) else {
        throw APIError(status: .badRequest, field: "limit", message: "expected an integer in 1...1000")
      }
      limit = parsed
    }
    let now = Date().timeIntervalSince1970
    let jobs = try await queue.jobs(state: state, limit: limit)
    return try json(JobListView(jobs: jobs.map { JobView($0, now: now) }))
  }

  func cancel(_ id: String) async throws -> Response {
    guard let job = try await queue.cancel(id) else { throw notFound(id) }
    return try json(JobView(job, now: Date().timeIntervalSince1970))
  }

  func result(_ id: String, context: BasicRequestContext) async throws -> Response {
    guard let job = try await queue.job(id) else { throw notFound(id) }
    guard job.state == .succeeded else {
      throw APIError(
        status: .conflict, field: "id", message: "job \(id) is \(job.state.rawValue), not succeeded")
    }
    let body = try await FileIO().loadFile(path: job.outputPath, context: context)
    return Response(
      status: .ok,
      headers: [
        .contentType: "application/vnd.apache.parquet",
        .contentDisposition: "attachment; filename=\"\(id).parquet\"",
      ], body: body)
  }

  func notFound(_ id: String) -> APIError {
    APIError(status: .notFound, field: "id", message: "no job \(id)")
  }
}

func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  let data = try encoder.encode(value)
  return Response(
    status: status, headers: [.contentType: "application/json"],
    body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
