// The writer's building blocks against hand-computed bytes from the specs (Thrift compact protocol,
// Encodings.md), and the Thrift writer against the reader's decoder and a real footer from parquet-testing.
import Foundation
import Testing

@testable import Parquet

@Suite struct ThriftWriterTests {
  @Test func fieldHeadersUseDeltasAndLongFormBeyond15() {
    var w = CompactWriter()
    w.field(1, i32: 1)  // delta 1, type i32 (5); zigzag(1) = 2
    w.field(3, bool: true)  // delta 2, type BOOL_TRUE (1)
    w.field(20, i64: -1)  // delta 17: long form, type i64 (6), zigzag id 40, zigzag(-1) = 1
    w.field(21, string: "ab")  // delta 1, binary (8)
    #expect(w.bytes == [0x15, 0x02, 0x21, 0x06, 40, 0x01, 0x18, 0x02, 0x61, 0x62])
  }

  @Test func nestedStructsRestoreTheOuterFieldId() {
    struct Inner: ThriftEncodable {
      func encode(to w: inout CompactWriter) { w.field(5, i32: 0) }
    }
    struct Outer: ThriftEncodable {
      func encode(to w: inout CompactWriter) {
        w.field(2, struct: Inner())
        w.field(3, i32: 0)
      }
    }
    // outer field 2 struct (0x2C), inner field 5 (0x55 0x00), stop, outer field 3 is delta 1 (0x15 0x00), stop
    #expect(thriftBytes(Outer()) == [0x2C, 0x55, 0x00, 0x00, 0x15, 0x00, 0x00])
  }

  @Test func longListsUseAVarintSize() {
    var w = CompactWriter()
    w.field(1, i32s: Array(repeating: 0, count: 20))
    #expect(Array(w.bytes.prefix(3)) == [0x19, 0xF5, 20])
    #expect(w.bytes.count == 3 + 20)
  }

  @Test func pageHeaderRoundTripsThroughTheReader() throws {
    let header = PageHeader(
      type: .dataPageV2, uncompressedPageSize: 1234, compressedPageSize: 567, crc: -5,
      dataPageHeaderV2: DataPageHeaderV2(
        numValues: 100, numNulls: 7, numRows: 100, encoding: .rleDictionary, definitionLevelsByteLength: 12,
        repetitionLevelsByteLength: 0, isCompressed: false,
        statistics: Statistics(nullCount: 7, maxValue: [9, 9], minValue: [1])))
    let bytes = thriftBytes(header)
    let (decoded, consumed) = try bytes.withUnsafeBytes { try PageHeader.decode($0) }
    #expect(decoded == header)
    #expect(consumed == bytes.count)
  }

  /// Re-encodes a footer written by parquet-mr and decodes it again: nothing is lost.
  @Test(arguments: [
    "alltypes_plain.parquet", "alltypes_tiny_pages.parquet", "data_index_bloom_encoding_stats.parquet",
  ])
  func corpusFootersRoundTrip(_ name: String) throws {
    let bytes = try [UInt8](Data(contentsOf: Corpus.data.appendingPathComponent(name)))
    let length = bytes[(bytes.count - 8)..<(bytes.count - 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
    let footer = Array(bytes[(bytes.count - 8 - length)..<(bytes.count - 8)])
    let meta = try footer.withUnsafeBytes { try FileMetaData.decode($0) }
    let again = try thriftBytes(meta).withUnsafeBytes { try FileMetaData.decode($0) }
    #expect(again == meta)
  }

  @Test func everyLogicalTypeRoundTrips() throws {
    let types: [LogicalType] = [
      .string, .map, .list, .enum, .decimal(scale: 2, precision: 10), .date,
      .time(isAdjustedToUTC: true, unit: .millis), .timestamp(isAdjustedToUTC: false, unit: .nanos),
      .timestamp(isAdjustedToUTC: true, unit: .micros), .integer(bitWidth: 16, isSigned: false), .unknown,
      .json,
      .bson, .uuid, .float16,
    ]
    for type in types {
      let element = SchemaElement(name: "c", type: .int32, repetitionType: .optional, logicalType: type)
      let meta = FileMetaData(version: 2, schema: [element], numRows: 0, rowGroups: [])
      let decoded = try thriftBytes(meta).withUnsafeBytes { try FileMetaData.decode($0) }
      #expect(decoded.schema.first?.logicalType == type)
    }
  }
}

@Suite struct RleHybridEncoderTests {
  func encode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
    var out: [UInt8] = []
    RleHybridEncoder.encode(values, bitWidth: bitWidth, into: &out)
    return out
  }

  /// Encodings.md's example: 0..7 with bit width 3 packs to 10001000 11000110 11111010.
  @Test func bitPacksTheSpecExample() {
    #expect(encode(Array(0...7), bitWidth: 3) == [0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010])
  }

  @Test func longRunsBecomeRleRuns() {
    #expect(encode(Array(repeating: 5, count: 100), bitWidth: 3) == [0xC8, 0x01, 0x05])
    #expect(encode(Array(repeating: 0x1234, count: 8), bitWidth: 13) == [0x10, 0x34, 0x12])
  }

  @Test func mixesPackedGroupsAndRuns() {
    // 1,2,3 then twelve 7s: one packed group (1,2,3,7,7,7,7,7), then the remaining seven 7s are too few for
    // a run, so they are packed too (padded with a zero).
    let values: [UInt32] = [1, 2, 3] + Array(repeating: 7, count: 12)
    let out = encode(values, bitWidth: 3)
    #expect(out.first == 0x05)  // two groups
    #expect(out.count == 1 + 6)
    // and a run starting on a group boundary ends packing
    let aligned: [UInt32] = Array(0..<8) + Array(repeating: 1, count: 20)
    #expect(encode(aligned, bitWidth: 3) == [0x03, 0x88, 0xC6, 0xFA, 0x28, 0x01])
  }

  @Test func bitWidthFromMaximum() {
    #expect(RleHybridEncoder.bitWidth(forMaximum: 0) == 0)
    #expect(RleHybridEncoder.bitWidth(forMaximum: 1) == 1)
    #expect(RleHybridEncoder.bitWidth(forMaximum: 255) == 8)
    #expect(RleHybridEncoder.bitWidth(forMaximum: 256) == 9)
  }
}

@Suite struct PlainAndDictionaryTests {
  @Test func booleansPackLeastSignificantBitFirst() {
    var out: [UInt8] = []
    PlainEncoder.append(
      .boolean([true, false, true, true, false, false, false, false, true]), range: 0..<9, into: &out)
    #expect(out == [0b0000_1101, 0b0000_0001])
  }

  @Test func byteArraysHaveLittleEndianLengths() {
    var out: [UInt8] = []
    PlainEncoder.append(
      .byteArray(offsets: [0, 2, 2, 5], data: Array("abcde".utf8)), range: 1..<3, into: &out)
    #expect(out == [0, 0, 0, 0, 3, 0, 0, 0, 0x63, 0x64, 0x65])
    #expect(
      PlainEncoder.encodedSize(.byteArray(offsets: [0, 2, 2, 5], data: Array("abcde".utf8)), range: 1..<3)
        == 11)
  }

  @Test func dictionaryKeepsFirstSeenOrderAndDistinguishesSignedZeros() throws {
    let encoded = try #require(DictionaryBuilder.encode(.double([1.5, 0.0, -0.0, 1.5, 0.0]), limit: 1 << 20))
    guard case .double(let dictionary) = encoded.dictionary else {
      Issue.record("wrong dictionary type")
      return
    }
    #expect(dictionary.map(\.bitPattern) == [1.5, 0.0, -0.0].map(\.bitPattern))
    #expect(encoded.indices == [0, 1, 2, 0, 1])
    #expect(encoded.bitWidth == 2)
  }

  /// Enough distinct values to grow the hash index many times; every index must point back at its value.
  @Test func dictionaryIndicesMapBackThroughGrowth() throws {
    var rng = SplitMix64(state: 11)
    let values = (0..<50_000).map { _ in Int64(rng.below(20_000)) - 10_000 }
    let encoded = try #require(DictionaryBuilder.encode(.int64(values), limit: 1 << 20))
    guard case .int64(let dictionary) = encoded.dictionary else {
      Issue.record("wrong dictionary type")
      return
    }
    #expect(encoded.indices.map { dictionary[Int($0)] } == values)
    #expect(dictionary.count == Set(values).count)
    var offsets = [0]
    var data: [UInt8] = []
    for value in values {
      data += Array("v\(value % 3000)".utf8)
      offsets.append(data.count)
    }
    let strings = try #require(
      DictionaryBuilder.encode(.byteArray(offsets: offsets, data: data), limit: 1 << 20))
    guard case .byteArray(let dictOffsets, let dictData) = strings.dictionary else {
      Issue.record("wrong dictionary type")
      return
    }
    #expect(dictOffsets.count - 1 == Set(values.map { $0 % 3000 }).count)
    for (position, index) in strings.indices.enumerated().prefix(2000) {
      let stored = Array(dictData[dictOffsets[Int(index)]..<dictOffsets[Int(index) + 1]])
      #expect(stored == Array(data[offsets[position]..<offsets[position + 1]]))
    }
  }

  @Test func dictionaryGivesUpPastItsLimit() {
    let strings = (0..<100).map { "value-\($0)" }
    var offsets = [0]
    var data: [UInt8] = []
    for s in strings {
      data += Array(s.utf8)
      offsets.append(data.count)
    }
    #expect(DictionaryBuilder.encode(.byteArray(offsets: offsets, data: data), limit: 100) == nil)
    #expect(
      DictionaryBuilder.encode(.byteArray(offsets: offsets, data: data), limit: 10_000)?.indices.count == 100)
    #expect(DictionaryBuilder.encode(.boolean([true]), limit: 10_000) == nil)
  }
}

@Suite struct StatisticsOrderTests {
  func minMax(_ values: EncodableValues, _ element: SchemaElement) -> ([UInt8], [UInt8])? {
    StatisticsBuilder.minMax(values, element: element)
  }

  @Test func unsignedIntegersCompareAsUnsigned() throws {
    let unsigned = SchemaElement(
      name: "u", type: .int32, logicalType: .integer(bitWidth: 32, isSigned: false))
    let signed = SchemaElement(name: "s", type: .int32)
    let values = EncodableValues.int32([-1, 5, 0])
    let (uMin, uMax) = try #require(minMax(values, unsigned))
    #expect(uMin == [0, 0, 0, 0])
    #expect(uMax == [0xFF, 0xFF, 0xFF, 0xFF])
    let (sMin, sMax) = try #require(minMax(values, signed))
    #expect(sMin == [0xFF, 0xFF, 0xFF, 0xFF])
    #expect(sMax == [5, 0, 0, 0])
  }

  @Test func floatsIgnoreNaNAndSignZeros() throws {
    let element = SchemaElement(name: "f", type: .float)
    let (min, max) = try #require(minMax(.float([.nan, 0.0, -0.0, .nan]), element))
    #expect(min == withUnsafeBytes(of: Float(-0.0)) { Array($0) })
    #expect(max == withUnsafeBytes(of: Float(0.0)) { Array($0) })
    #expect(minMax(.float([.nan]), element) == nil)
  }

  @Test func decimalsCompareAsSignedBigEndian() throws {
    let element = SchemaElement(
      name: "d", type: .fixedLenByteArray, typeLength: 2, logicalType: .decimal(scale: 0, precision: 4))
    // -2 (0xFFFE), 1 (0x0001), -300 (0xFED4)
    let (min, max) = try #require(
      minMax(.fixedWidth(width: 2, data: [0xFF, 0xFE, 0x00, 0x01, 0xFE, 0xD4]), element))
    #expect(min == [0xFE, 0xD4])
    #expect(max == [0x00, 0x01])
    #expect(StatisticsBuilder.signedBigEndianLess([0xFF], [0x00, 0x01]))  // -1 < 1 across lengths
    #expect(!StatisticsBuilder.signedBigEndianLess([0x01, 0x00], [0x7F]))  // 256 > 127
  }

  @Test func float16ComparesNumerically() throws {
    let element = SchemaElement(name: "h", type: .fixedLenByteArray, typeLength: 2, logicalType: .float16)
    // 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800 (little-endian bytes)
    let (min, max) = try #require(
      minMax(.fixedWidth(width: 2, data: [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38]), element))
    #expect(min == [0x00, 0xC0])
    #expect(max == [0x00, 0x3C])
  }

  @Test func stringsCompareAsUnsignedBytes() throws {
    let element = SchemaElement(name: "s", type: .byteArray, logicalType: .string)
    let data = Array("béa".utf8) + Array("b".utf8) + Array("bz".utf8)
    let (min, max) = try #require(minMax(.byteArray(offsets: [0, 4, 5, 7], data: data), element))
    #expect(min == Array("b".utf8))
    #expect(max == Array("béa".utf8))  // 0xC3 > 'z'
  }

  @Test func int96HasNoOrder() {
    let element = SchemaElement(name: "t", type: .int96)
    #expect(minMax(.fixedWidth(width: 12, data: Array(repeating: 1, count: 24)), element) == nil)
    let interval = SchemaElement(
      name: "i", type: .fixedLenByteArray, typeLength: 12, convertedType: .interval)
    #expect(minMax(.fixedWidth(width: 12, data: Array(repeating: 1, count: 24)), interval) == nil)
  }
}
