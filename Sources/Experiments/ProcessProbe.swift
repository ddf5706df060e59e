// Whether a process recorded in the store is still alive: the basis of crash detection. On Linux it reads
// /proc/PID/stat and compares the process start time, so a recycled pid is not taken for the original run
// and a zombie counts as dead. Elsewhere it falls back to kill(pid, 0). It never signals a process.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum ProcessProbe {
  static var currentPID: Int { Int(getpid()) }

  static var hostName: String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The kernel's start time of a process (clock ticks since boot), or nil where /proc is unavailable.
  static func startTicks(pid: Int) -> String? {
    guard let fields = statFields(pid: pid), fields.count > 19 else { return nil }
    return fields[19]
  }

  /// False when the process is gone, a zombie, or a different process that reuses the pid.
  static func isAlive(pid: Int, startTicks: String?) -> Bool {
    if let fields = statFields(pid: pid) {
      guard let state = fields.first, state != "Z", state != "X" else { return false }
      if let recorded = startTicks, fields.count > 19, fields[19] != recorded { return false }
      return true
    }
    if FileManager.default.fileExists(atPath: "/proc/self/stat") { return false }
    guard let pid32 = pid_t(exactly: pid) else { return false }
    return kill(pid32, 0) == 0 || errno == EPERM
  }

  /// The fields of /proc/PID/stat after the command name, starting with the state (field 3).
  private static func statFields(pid: Int) -> [String]? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    return text[text.index(after: close)...].split(separator: " ").map(String.init)
  }
}
