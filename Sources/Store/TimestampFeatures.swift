// Timestamps as features: seven cyclic encodings (sin, cos) computed in UTC — second of minute, minute of hour,
// hour of day, day of week, day of month, month of year, day of year — plus the time itself, z-scored with one
// mean and standard deviation over every timestamp cell of the database.
import DatabaseSpec
import Foundation

public enum TimestampFeatures {
  /// Number of f32 cyclic features per timestamp (7 periods x sin/cos).
  public static let cyclicCount = 14

  /// Writes the 14 cyclic features of `micros` (µs since the Unix epoch, UTC) into `out[0..<14]`.
  public static func cyclic(_ micros: Int64, into out: UnsafeMutablePointer<Float>) {
    let day = ISO8601Micros.floorDiv(micros, ISO8601Micros.microsPerDay)
    // Within a day of Int64.min the day's start is not representable; the wrapping difference is still exact.
    let microsOfDay = micros &- day &* ISO8601Micros.microsPerDay
    let secondOfDay = Double(microsOfDay) / 1e6
    let (year, month, dayOfMonth) = ISO8601Micros.civilFromDays(day)
    let dayOfYear = day - ISO8601Micros.daysFromCivil(year: year, month: 1, day: 1)
    let daysInYear: Double = ISO8601Micros.daysIn(month: 2, year: year) == 29 ? 366 : 365
    // 1970-01-01 was a Thursday; weekday 0 = Monday.
    let weekday = Double((day % 7 + 7 + 3) % 7)
    let daysInMonth = Double(ISO8601Micros.daysIn(month: month, year: year))
    let dayFraction = secondOfDay / 86_400
    func emit(_ index: Int, _ fraction: Double) {
      let angle = 2 * Double.pi * fraction
      out[2 * index] = Float(sin(angle))
      out[2 * index + 1] = Float(cos(angle))
    }
    emit(0, secondOfDay.truncatingRemainder(dividingBy: 60) / 60)
    emit(1, secondOfDay.truncatingRemainder(dividingBy: 3600) / 3600)
    emit(2, dayFraction)
    emit(3, (weekday + dayFraction) / 7)
    emit(4, (Double(dayOfMonth - 1) + dayFraction) / daysInMonth)
    emit(5, (Double(month - 1) + (Double(dayOfMonth - 1) + dayFraction) / daysInMonth) / 12)
    emit(6, (Double(dayOfYear) + dayFraction) / daysInYear)
  }
}
