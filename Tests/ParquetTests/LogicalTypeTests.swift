// Rendering helpers against values worked out by hand or by Python (datetime, decimal, struct).
import Testing

@testable import Parquet

@Test func timestampsRenderAtTheExtremes() {
  // Python: datetime(1970,1,1) + timedelta(microseconds=-1) -> 1969-12-31 23:59:59.999999
  #expect(CivilTime.timestamp(micros: -1, utc: true) == "1969-12-31T23:59:59.999999Z")
  #expect(CivilTime.timestamp(micros: 0, utc: false) == "1970-01-01T00:00:00.000000")
  // Found by the fuzzer: Int64.min used to overflow. Proleptic Gregorian, year -290308.
  #expect(CivilTime.timestamp(micros: .min, utc: false) == "-290308-12-21T19:59:05.224192")
  #expect(CivilTime.timestamp(micros: .max, utc: false) == "294247-01-10T04:00:54.775807")
  #expect(CivilTime.micros(-1500, unit: .nanos) == -2)
  #expect(CivilTime.date(days: 19_000) == "2022-01-08")
}

@Test func int96TimestampsFollowArrow() {
  // Julian day 2440588 is 1970-01-01; nanoseconds of the day are unsigned.
  let noon = Int96(
    word0: UInt32(truncatingIfNeeded: 43_200_000_000_000 as UInt64), word1: 10_058, word2: 2_440_588)
  #expect(CivilTime.micros(noon) == 43_200_000_000)
}

@Test func decimalsRenderExactly() {
  #expect(TextFormats.decimal(-5, scale: 2) == "-0.05")
  #expect(TextFormats.decimal(12345, scale: 0) == "12345")
  #expect(TextFormats.decimal(7, scale: -2) == "700")
  // 16-byte two's complement of -1 and of 2^100 (Python: 2**100 == 1267650600228229401496703205376).
  let minusOne = TextFormats.bigEndianDigits([UInt8](repeating: 0xff, count: 16))
  #expect(minusOne.digits == "1" && minusOne.negative)
  var big = [UInt8](repeating: 0, count: 16)
  big[3] = 0x10
  #expect(TextFormats.bigEndianDigits(big).digits == "1267650600228229401496703205376")
}

@Test func halfFloatsWidenExactly() {
  #expect(TextFormats.float16(0x00, 0x3c) == 1.0)
  #expect(TextFormats.float16(0x00, 0xc0) == -2.0)
  #expect(TextFormats.float16(0x01, 0x00) == 0x1p-24)  // smallest subnormal
  #expect(TextFormats.float16(0xff, 0x7b) == 65504)  // largest finite
  #expect(TextFormats.float16(0x00, 0x7e).isNaN)
}

@Test func jsonStringsEscapeLikePython() {
  // Python: json.dumps('a"b\\c\n\x01é', ensure_ascii=False) == '"a\\"b\\\\c\\n\\u0001é"'
  #expect(TextFormats.jsonString(Array("a\"b\\c\n\u{01}é".utf8)) == "\"a\\\"b\\\\c\\n\\u0001é\"")
  #expect(TextFormats.base64(Array("hello".utf8)) == "aGVsbG8=")
  #expect(TextFormats.number(0.1) == "0.1")
  #expect(TextFormats.number(1e16) == "1e+16")
  #expect(TextFormats.number(-.infinity) == "\"-Infinity\"")
}
