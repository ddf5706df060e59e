// Codecs against data compressed independently (Python zlib/gzip, pyarrow), round trips on awkward sizes, and
// corrupt or truncated inputs, which must throw CodecError and never trap.
import Testing

@testable import Codecs

@Suite struct FixtureTests {
  @Test(arguments: codecFixtures)
  func decompressesIndependentlyCompressedData(_ fixture: CodecFixture) throws {
    let codec = try #require(CompressionCodec(rawValue: fixture.codec))
    let expected = bytes(fromHex: fixture.expectedHex ?? codecFixturePayloadHex)
    let compressed = bytes(fromHex: fixture.compressedHex)
    let output = try Codecs.decompress(codec, compressed, uncompressedSize: expected.count)
    #expect(output == expected)
  }

  @Test(arguments: codecFixtures)
  func refusesAWrongExpectedSize(_ fixture: CodecFixture) throws {
    let codec = try #require(CompressionCodec(rawValue: fixture.codec))
    let expected = bytes(fromHex: fixture.expectedHex ?? codecFixturePayloadHex)
    let compressed = bytes(fromHex: fixture.compressedHex)
    for size in [expected.count - 1, expected.count + 1, 0] {
      #expect(throws: CodecError.self) { try Codecs.decompress(codec, compressed, uncompressedSize: size) }
    }
  }

  @Test(arguments: codecFixtures)
  func refusesTruncatedData(_ fixture: CodecFixture) throws {
    let codec = try #require(CompressionCodec(rawValue: fixture.codec))
    let expected = bytes(fromHex: fixture.expectedHex ?? codecFixturePayloadHex)
    let compressed = bytes(fromHex: fixture.compressedHex)
    for keep in [compressed.count - 1, compressed.count / 2, 1] {
      #expect(throws: CodecError.self) {
        try Codecs.decompress(codec, Array(compressed.prefix(keep)), uncompressedSize: expected.count)
      }
    }
  }
}

@Suite struct RoundTripTests {
  static let sizes = [0, 1, 7, 65537]

  @Test(arguments: CompressionCodec.allCases, sizes)
  func roundTrips(_ codec: CompressionCodec, size: Int) throws {
    let input = testBytes(count: size, seed: UInt64(size) + 1)
    let compressed = try Codecs.compress(codec, input)
    let output = try Codecs.decompress(codec, compressed, uncompressedSize: size)
    #expect(output == input)
  }

  @Test(arguments: CompressionCodec.allCases)
  func compressesRepetitiveData(_ codec: CompressionCodec) throws {
    let input = [UInt8](repeating: 42, count: 100_000)
    let compressed = try Codecs.compress(codec, input)
    if codec != .uncompressed { #expect(compressed.count < input.count / 10) }
    #expect(try Codecs.decompress(codec, compressed, uncompressedSize: input.count) == input)
  }

  @Test func gzipOutputIsReadableAsGzip() throws {
    let compressed = try Codecs.compress(.gzip, testBytes(count: 100, seed: 3))
    #expect(Array(compressed.prefix(2)) == [0x1F, 0x8B])
  }

  @Test func hadoopOutputHasBigEndianHeader() throws {
    let compressed = try Codecs.compress(.lz4Hadoop, testBytes(count: 300, seed: 4))
    #expect(Array(compressed.prefix(4)) == [0, 0, 1, 44])
    let blockSize = compressed[4..<8].reduce(0) { $0 << 8 | Int($1) }
    #expect(blockSize == compressed.count - 8)
  }

  @Test func refusesLevelsOutOfRange() {
    #expect(throws: CodecError.self) { try Codecs.compress(.gzip, [1, 2, 3], level: 10) }
    #expect(throws: CodecError.self) { try Codecs.compress(.brotli, [1, 2, 3], level: 12) }
    #expect(throws: CodecError.self) { try Codecs.compress(.zstd, [1, 2, 3], level: 1000) }
  }
}

@Suite struct CorruptInputTests {
  static let compressedCodecs = CompressionCodec.allCases.filter { $0 != .uncompressed }

  @Test(arguments: compressedCodecs)
  func garbageThrows(_ codec: CompressionCodec) {
    for seed in UInt64(1)...20 {
      let garbage = testBytes(count: Int(seed) * 13, seed: seed)
      #expect(throws: CodecError.self) { try Codecs.decompress(codec, garbage, uncompressedSize: 1000) }
    }
  }

  /// Flips bytes throughout a valid stream: decoding must either throw or produce exactly the expected size.
  @Test(arguments: compressedCodecs)
  func bitFlipsNeverTrap(_ codec: CompressionCodec) throws {
    let input = testBytes(count: 5000, seed: 9)
    let compressed = try Codecs.compress(codec, input)
    for position in stride(from: 0, to: compressed.count, by: max(1, compressed.count / 50)) {
      var damaged = compressed
      damaged[position] ^= 0x5A
      do {
        let output = try Codecs.decompress(codec, damaged, uncompressedSize: input.count)
        #expect(output.count == input.count)
      } catch let error as CodecError {
        #expect(!error.message.isEmpty)
      } catch {
        Issue.record("unexpected error type \(error)")
      }
    }
  }

  @Test func emptyInputNeedsEmptyOutput() throws {
    for codec in CompressionCodec.allCases {
      #expect(try Codecs.decompress(codec, [], uncompressedSize: 0) == [])
      #expect(throws: CodecError.self) { try Codecs.decompress(codec, [], uncompressedSize: 5) }
    }
  }

  @Test func trailingGarbageAfterGzipThrows() throws {
    let compressed = try Codecs.compress(.gzip, testBytes(count: 100, seed: 5)) + [1, 2, 3]
    #expect(throws: CodecError.self) { try Codecs.decompress(.gzip, compressed, uncompressedSize: 100) }
  }

  @Test func hadoopHeaderWithImpossibleLengthsThrows() {
    let lying: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3]
    #expect(throws: CodecError.self) { try Codecs.decompress(.lz4Hadoop, lying, uncompressedSize: 3) }
  }

  @Test func errorsNameTheCodec() {
    do {
      _ = try Codecs.decompress(.snappy, [0xFF, 0xFF], uncompressedSize: 10)
      Issue.record("expected an error")
    } catch let error as CodecError {
      #expect(error.codec == .snappy)
      #expect(error.description.contains("snappy"))
    } catch {
      Issue.record("unexpected error type \(error)")
    }
  }
}
