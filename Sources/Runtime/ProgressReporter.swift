// Progress of long work, with rate and ETA, through swift-log (stderr in the CLI). Thread-safe: workers call
// `advance` concurrently; a line is logged at most every `interval` seconds, and once at the end.
import Foundation
import Logging

public final class ProgressReporter: @unchecked Sendable {
  // @unchecked: all mutable state is guarded by `lock`.
  private let logger: Logger
  private let task: String
  private let unit: String
  private let total: Int?
  private let interval: Double
  private let start = Date()
  private var lastReport = Date.distantPast
  private var done = 0
  private let lock = NSLock()

  public init(_ task: String, total: Int?, unit: String = "items", interval: Double = 2, logger: Logger) {
    self.task = task
    self.total = total
    self.unit = unit
    self.interval = interval
    self.logger = logger
  }

  public func advance(by count: Int = 1) {
    let line: String? = lock.withLock {
      done += count
      let now = Date()
      guard now.timeIntervalSince(lastReport) >= interval else { return nil }
      lastReport = now
      return render(now: now)
    }
    if let line { logger.info("\(line)") }
  }

  public func finish() {
    let line = lock.withLock { render(now: Date(), final: true) }
    logger.info("\(line)")
  }

  public var elapsed: Double { Date().timeIntervalSince(start) }

  private func render(now: Date, final: Bool = false) -> String {
    let seconds = max(now.timeIntervalSince(start), 1e-9)
    let rate = Double(done) / seconds
    var line = "\(task): \(Self.count(done))"
    if let total, total > 0 {
      line += "/\(Self.count(total)) (\(Int(100 * Double(done) / Double(total)))%)"
    }
    line += ", \(Self.count(Int(rate))) \(unit)/s"
    if final {
      line += ", done in \(Self.duration(seconds))"
    } else if let total, rate > 0, done < total {
      line += ", ETA \(Self.duration(Double(total - done) / rate))"
    }
    return line
  }

  public static func count(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, character) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(character)
    }
    return value < 0 ? "-" + out : out
  }

  public static func duration(_ seconds: Double) -> String {
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    if seconds < 3600 { return "\(Int(seconds) / 60) min \(Int(seconds) % 60) s" }
    return "\(Int(seconds) / 3600) h \(Int(seconds) % 3600 / 60) min"
  }
}
