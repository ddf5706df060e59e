// Prometheus metrics (swift-prometheus): queue depth, jobs by state, items/s over running jobs, job latency and
// SLA misses. Gauges are refreshed from the queue at each scrape; latency and misses are recorded by the
// monitor when it sees a job finish, so they count jobs finished by any worker of the queue.
import Foundation
import JobQueue
import Prometheus

public final class ServiceMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  let submitted: Counter
  let slaMisses: Counter
  let latency: DurationHistogram
  let pendingChunks: Gauge
  let leasedChunks: Gauge
  let pendingItems: Gauge
  let itemsPerSecond: Gauge
  let jobsByState: [JobState: Gauge]

  public init() {
    submitted = registry.makeCounter(
      name: "tributary_jobs_submitted_total", help: "Jobs accepted by POST /v1/jobs")
    slaMisses = registry.makeCounter(
      name: "tributary_sla_misses_total", help: "Jobs that finished after their SLA deadline")
    latency = registry.makeDurationHistogram(
      name: "tributary_job_latency_seconds",
      buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600].map { .seconds($0) },
      help: "Submission to success")
    pendingChunks = registry.makeGauge(
      name: "tributary_queue_pending_chunks", help: "Chunks waiting for a worker")
    leasedChunks = registry.makeGauge(name: "tributary_queue_leased_chunks", help: "Chunks being worked on")
    pendingItems = registry.makeGauge(name: "tributary_queue_pending_items", help: "Items not done yet")
    itemsPerSecond = registry.makeGauge(
      name: "tributary_items_per_second", help: "Summed throughput of running jobs")
    var gauges: [JobState: Gauge] = [:]
    for state in JobState.allCases {
      gauges[state] = registry.makeGauge(
        name: "tributary_jobs", labels: [("state", state.rawValue)], help: "Jobs by state")
    }
    jobsByState = gauges
  }

  /// Refreshes the gauges and renders the text exposition format.
  func scrape(_ queue: any JobQueue) async throws -> [UInt8] {
    let counts = try await queue.counts()
    for (state, gauge) in jobsByState { gauge.set(Double(counts.jobsByState[state] ?? 0)) }
    pendingChunks.set(Double(counts.pendingChunks))
    leasedChunks.set(Double(counts.leasedChunks))
    pendingItems.set(Double(counts.pendingItems))
    let now = Date().timeIntervalSince1970
    let running = try await queue.jobs(state: .running, limit: 1000)
    itemsPerSecond.set(running.compactMap { $0.itemsPerSecond(now: now) }.reduce(0, +))
    var buffer: [UInt8] = []
    registry.emit(into: &buffer)
    return buffer
  }

  /// Records a job seen finishing.
  func finished(_ job: JobRecord) {
    guard job.state == .succeeded, let finishedAt = job.finishedAt else { return }
    latency.record(.milliseconds(Int64(max(0, finishedAt - job.submittedAt) * 1000)))
    if let deadline = job.deadline, finishedAt > deadline { slaMisses.increment() }
  }
}
