// Timestamp features for the cells the sampler makes itself (the time and label of task examples), computed
// exactly as preprocessing stores them for table cells (docs/format.md, `c<k>.cyclic`): sin and cos of seven
// periods in UTC. Kept here because the sampler must not depend on Preprocess; the tests check both agree.
import DatabaseSpec
import Foundation

enum CyclicTime {
  static let count = 14

  /// Writes the 14 cyclic features of `micros` (µs since the epoch, UTC) to `out[0..<14]`.
  static func write(_ micros: Int64, to out: UnsafeMutablePointer<Float>) {
    let day = ISO8601Micros.floorDiv(micros, ISO8601Micros.microsPerDay)
    let secondOfDay = Double(micros - day * ISO8601Micros.microsPerDay) / 1e6
    let (year, month, dayOfMonth) = ISO8601Micros.civilFromDays(day)
    let dayOfYear = day - ISO8601Micros.daysFromCivil(year: year, month: 1, day: 1)
    let daysInYear: Double = ISO8601Micros.daysIn(month: 2, year: year) == 29 ? 366 : 365
    // 1970-01-01 was a Thursday; weekday 0 is Monday.
    let weekday = Double((day % 7 + 7 + 3) % 7)
    let daysInMonth = Double(ISO8601Micros.daysIn(month: month, year: year))
    let dayFraction = secondOfDay / 86_400
    let fractions = [
      secondOfDay.truncatingRemainder(dividingBy: 60) / 60,
      secondOfDay.truncatingRemainder(dividingBy: 3600) / 3600,
      dayFraction,
      (weekday + dayFraction) / 7,
      (Double(dayOfMonth - 1) + dayFraction) / daysInMonth,
      (Double(month - 1) + (Double(dayOfMonth - 1) + dayFraction) / daysInMonth) / 12,
      (Double(dayOfYear) + dayFraction) / daysInYear,
    ]
    for (index, fraction) in fractions.enumerated() {
      let angle = 2 * Double.pi * fraction
      out[2 * index] = Float(sin(angle))
      out[2 * index + 1] = Float(cos(angle))
    }
  }
}
