// Optional per-op timing for a backend: where a step's time goes, forward and backward separately.
// Passed explicitly to `CPUBackend(threads:profile:)`; nil (the default) costs one branch per op.
// Refuses: sampling or hardware counters; this is wall time around each `run`.
import Foundation

/// Accumulated wall time and call counts per (op, pass).
public final class OpProfile: @unchecked Sendable {
  // @unchecked: every access to `entries` holds `lock`.
  private let lock = NSLock()
  private var entries: [String: (calls: Int, seconds: Double)] = [:]

  public init() {}

  func record(_ call: OpCall, seconds: Double) {
    let key = "\(call.op.rawValue) \(call.isBackward ? "backward" : "forward")"
    lock.lock()
    defer { lock.unlock() }
    let previous = entries[key] ?? (0, 0)
    entries[key] = (previous.calls + 1, previous.seconds + seconds)
  }

  /// (op and pass, calls, total seconds), slowest first.
  public var totals: [(name: String, calls: Int, seconds: Double)] {
    lock.lock()
    defer { lock.unlock() }
    return entries.map { ($0.key, $0.value.calls, $0.value.seconds) }.sorted { $0.seconds > $1.seconds }
  }

  /// A table of the totals, one op and pass per line.
  public func report() -> String {
    totals.map { entry in
      let ms = (entry.seconds * 1e5).rounded() / 100
      return "\(entry.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(entry.calls) calls  \(ms) ms"
    }.joined(separator: "\n")
  }

  public func reset() {
    lock.lock()
    defer { lock.unlock() }
    entries = [:]
  }
}

extension OpCall {
  /// Whether this is the backward case of its op (matmul counts as forward: its backward is matmuls).
  public var isBackward: Bool {
    switch self {
    case .linearBackward, .addBackward, .mulBackward, .scaleBackward, .embeddingBackward, .layerNormBackward,
      .rmsNormBackward, .activationBackward, .swigluBackward, .softmaxBackward, .attentionBackward,
      .meanPoolBackward, .l2NormalizeBackward, .dropoutBackward, .huberLossBackward, .bceWithLogitsBackward,
      .crossEntropyBackward, .infoNCEBackward:
      return true
    case .matmul, .batchedMatmul, .linearForward, .addForward, .mulForward, .scaleForward, .embeddingForward,
      .layerNormForward, .rmsNormForward, .activationForward, .swigluForward, .softmaxForward,
      .attentionForward,
      .meanPoolForward, .l2NormalizeForward, .dropoutForward, .huberLossForward, .bceWithLogitsForward,
      .crossEntropyForward, .infoNCEForward:
      return false
    }
  }
}
