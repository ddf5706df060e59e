// Timestamps as the store writes them: ISO-8601 UTC with milliseconds ("2026-11-23T15:10:03.123Z"), which
// SQLite's date functions read directly. Formatting only; it never parses.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum Clock {
  static func nowUnix() -> Double { Date().timeIntervalSince1970 }

  static func iso8601(unix: Double) -> String {
    // Clamped so that a corrupt stored heartbeat cannot trap the conversion (years 1653...5138).
    let clamped = unix.isFinite ? min(max(unix, -1e10), 1e11) : 0
    var seconds = time_t(clamped.rounded(.down))
    let millis = Int(((clamped - clamped.rounded(.down)) * 1000).rounded(.down)) % 1000
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func pad(_ value: Int32, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    let date = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
    let time = "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
    return "\(date)T\(time).\(pad(Int32(millis), 3))Z"
  }

  static func nowISO8601() -> String { iso8601(unix: nowUnix()) }
}
