import Testing

@testable import DatabaseSpec

// Expected values computed with Python's datetime (UTC), independently of this code.
@Test(arguments: [
  ("2013-11-15", Int64(1_384_473_600_000_000)),
  ("1950-05-13", -619_747_200_000_000),
  ("2024-02-29T23:59:59.999999", 1_709_251_199_999_999),
  ("1969-12-31T23:59:59.5", -500_000),
  ("0001-01-01", -62_135_596_800_000_000),
  ("2016-01-01T12:30+02:00", 1_451_644_200_000_000),
  ("1900-03-01 06:07:08", -2_203_869_172_000_000),
])
func parsesLikePythonDatetime(text: String, micros: Int64) {
  #expect(ISO8601Micros.parse(text) == micros)
}

@Test(arguments: ["", "2013", "2013-13-01", "2013-02-29", "2013-01-01T25:00", "2013-01-01X", "2013-1-01"])
func rejectsMalformedDates(text: String) {
  #expect(ISO8601Micros.parse(text) == nil)
}

@Test func formatRoundTripsThroughParse() {
  for micros: Int64 in [0, -1, 1_709_251_199_999_999, -62_135_596_800_000_000, 1_384_473_600_000_000] {
    #expect(ISO8601Micros.parse(ISO8601Micros.format(micros)) == micros)
  }
  #expect(ISO8601Micros.format(1_384_473_600_000_000) == "2013-11-15")
  #expect(ISO8601Micros.format(-500_000) == "1969-12-31T23:59:59.500000Z")
}

@Test func formatIsTotalAtTheEdgesOfInt64() {
  // Int64.min is the null marker of row times; formatting it must not trap (it has no representable day start).
  #expect(ISO8601Micros.format(Int64.min) == "-9223372036854775808 µs since 1970-01-01")
  #expect(ISO8601Micros.format(Int64.max) == "294247-01-10T04:00:54.775807Z")  // numpy datetime64 agrees
}
