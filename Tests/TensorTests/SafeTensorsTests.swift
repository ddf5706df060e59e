// SafeTensors reader/writer: files written by the `safetensors` PyPI package, round trips, and corrupt files
// (each must give a SafeTensorsError, never a crash).
import Foundation
import TestSupport
import Testing

@testable import Tensor

private func writeFile(_ bytes: [UInt8], name: String = "t.safetensors") throws -> String {
  let path = TemporaryFiles.path(name)
  try Data(bytes).write(to: URL(fileURLWithPath: path))
  return path
}

private func fixture(_ base64: String) throws -> [UInt8] {
  let data = try #require(Data(base64Encoded: base64))
  return [UInt8](data)
}

private func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
  a.map(\.bitPattern) == b.map(\.bitPattern)
}

@Test(.removesTemporaryFiles) func readsFileWrittenByPythonPackage() throws {
  let file = try SafeTensorsFile(path: writeFile(fixture(SafeTensorsFixtures.mixedBase64)))
  #expect(file.metadata == SafeTensorsFixtures.mixedMetadata)
  #expect(Set(file.tensors.keys) == Set(SafeTensorsFixtures.mixedShapes.keys))
  for (name, shape) in SafeTensorsFixtures.mixedShapes {
    let info = try file.info(name)
    #expect(info.shape == shape, "\(name)")
    #expect(info.dtype.rawValue == SafeTensorsFixtures.mixedDTypes[name], "\(name)")
  }
  for (name, expected) in SafeTensorsFixtures.mixedFloats {
    #expect(sameBits(try file.floats(name), expected), "\(name)")
  }
  for (name, expected) in SafeTensorsFixtures.mixedInts {
    #expect(try file.int64s(name) == expected, "\(name)")
  }
}

@Test(.removesTemporaryFiles) func readsHandWrittenBFloat16() throws {
  let file = try SafeTensorsFile(path: writeFile(fixture(SafeTensorsFixtures.bf16Base64)))
  #expect(sameBits(try file.floats("b"), SafeTensorsFixtures.bf16Values))
}

@Test(.removesTemporaryFiles) func halfConversionCoversEveryBitPattern() {
  // Independent check: every finite half is m * 2^e exactly; compare with that arithmetic.
  for bits in UInt16.min...UInt16.max where (bits >> 10) & 0x1F != 0x1F {
    let exponent = Int((bits >> 10) & 0x1F)
    let mantissa = Float(bits & 0x3FF)
    let magnitude =
      exponent == 0
      ? mantissa * Float(sign: .plus, exponent: -24, significand: 1)
      : (1024 + mantissa) * Float(sign: .plus, exponent: exponent - 25, significand: 1)
    let expected = bits & 0x8000 != 0 ? -magnitude : magnitude
    #expect(halfToFloat(bits).bitPattern == expected.bitPattern, "bits \(bits)")
  }
  #expect(halfToFloat(0x7C00) == .infinity)
  #expect(halfToFloat(0xFC00) == -.infinity)
  #expect(halfToFloat(0x7E00).isNaN)
}

@Test(.removesTemporaryFiles) func roundTripPreservesTensorsAndMetadata() throws {
  let source = try SafeTensorsFile(path: writeFile(fixture(SafeTensorsFixtures.mixedBase64)))
  let entries = try source.names.map { name in
    let info = try source.info(name)
    return SafeTensorsEntry(
      name: name, dtype: info.dtype, shape: info.shape,
      bytes: try source.withRawBytes(of: name) { [UInt8]($0) })
  }
  let path = TemporaryFiles.path("round.safetensors")
  try SafeTensorsWriter.write(entries, metadata: source.metadata, to: path)
  let copy = try SafeTensorsFile(path: path)
  #expect(copy.metadata == source.metadata)
  #expect(copy.names == source.names)
  for name in source.names {
    #expect(try copy.info(name).shape == source.info(name).shape)
    let original = try source.withRawBytes(of: name) { [UInt8]($0) }
    #expect(try copy.withRawBytes(of: name) { [UInt8]($0) } == original, "\(name)")
  }
  let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
  let headerLength = written.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
  #expect((8 + headerLength) % 8 == 0, "data section must start 8-byte aligned")
}

@Test(.removesTemporaryFiles) func writesFloatsThatReadBack() throws {
  let values: [Float] = [1, -0.5, .pi, 1e-38, -3e38, 0]
  let path = TemporaryFiles.path("floats.safetensors")
  try SafeTensorsWriter.write([SafeTensorsEntry(name: "x", shape: [2, 3], floats: values)], to: path)
  // Overwriting goes through rename as well.
  try SafeTensorsWriter.write([SafeTensorsEntry(name: "x", shape: [3, 2], floats: values)], to: path)
  let file = try SafeTensorsFile(path: path)
  #expect(try file.info("x").shape == [3, 2])
  #expect(sameBits(try file.floats("x"), values))
  #expect(file.metadata.isEmpty)
}

@Test(.removesTemporaryFiles) func writerRejectsMismatchedEntries() {
  let path = TemporaryFiles.path("bad.safetensors")
  #expect(throws: SafeTensorsError.self) {
    try SafeTensorsWriter.write(
      [SafeTensorsEntry(name: "x", dtype: .f32, shape: [3], bytes: [0, 0, 0, 0])], to: path)
  }
  #expect(throws: SafeTensorsError.self) {
    let entry = SafeTensorsEntry(name: "x", shape: [1], floats: [1])
    try SafeTensorsWriter.write([entry, entry], to: path)
  }
  #expect(!FileManager.default.fileExists(atPath: path))
}
