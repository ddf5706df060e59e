import Foundation
import TestSupport
import Testing

@testable import Store

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
  "Fixtures")

/// The fixture was written by tools/make_store_fixture.py from docs/format.md, independently of this code.
@Test(.removesTemporaryFiles) func readsTheIndependentlyWrittenFixture() throws {
  let reader = try ContainerReader(
    path: fixtures.appendingPathComponent("container-v1.bin").path, expecting: .table)
  #expect(try reader.info("values").shape == [2, 3])
  #expect(try reader.array("values", as: Float.self) == [1.5, -2.25, 3.0, 0.0, 1e-7, -1e30])
  #expect(try reader.array("ids", as: Int64.self) == [-1, 0, 1 << 40, 7])
  #expect(try reader.withSectionBytes("validity") { Array($0) } == [0b1011_0101, 0b0000_0010])
  #expect(try reader.info("validity").shape == [10])
  #expect(try reader.withSectionBytes("half") { Array($0) } == [0x00, 0x38, 0x00, 0xBC, 0xFF, 0x7B])
  for info in reader.sections.values { #expect(info.offset % 64 == 0) }
}

@Test(.removesTemporaryFiles) func writtenContainerMatchesTheIndependentWriterByteForByte() throws {
  let path = TemporaryFiles.path("same.bin")
  let writer = try ContainerWriter(path: path, kind: .table)
  try writer.addSection(name: "values", shape: [2, 3], values: [Float(1.5), -2.25, 3.0, 0.0, 1e-7, -1e30])
  try writer.addSection(name: "ids", values: [Int64(-1), 0, 1 << 40, 7])
  try writer.addBitmap(name: "validity", count: 10, bits: [0b1011_0101, 0b0000_0010])
  try [UInt8]([0x00, 0x38, 0x00, 0xBC, 0xFF, 0x7B]).withUnsafeBytes {
    try writer.addSection(name: "half", type: .float16, shape: [3], bytes: $0)
  }
  try writer.finish()
  let ours = try Data(contentsOf: URL(fileURLWithPath: path))
  let theirs = try Data(contentsOf: fixtures.appendingPathComponent("container-v1.bin"))
  #expect(ours == theirs)
}

@Test(.removesTemporaryFiles) func nothingAppearsUntilFinish() throws {
  let path = TemporaryFiles.path("partial.bin")
  do {
    let writer = try ContainerWriter(path: path, kind: .graph)
    try writer.addSection(name: "a", values: [Int32(1), 2, 3])
    #expect(!FileManager.default.fileExists(atPath: path))
  }
  #expect(!FileManager.default.fileExists(atPath: path))
  let directory = (path as NSString).deletingLastPathComponent
  #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
}

@Test(.removesTemporaryFiles) func rejectsWrongTypesKindsAndShapes() throws {
  let path = TemporaryFiles.path("kinds.bin")
  let writer = try ContainerWriter(path: path, kind: .graph)
  try writer.addSection(name: "offsets", values: [Int64(0), 2, 5])
  #expect(throws: StoreError.self) { try writer.addSection(name: "offsets", values: [Int64(1)]) }
  #expect(throws: StoreError.self) { try writer.addSection(name: "bad", shape: [2, 2], values: [Int32(1)]) }
  try writer.finish()
  #expect(throws: StoreError.wrongKind(path: path, found: 2, expected: .table)) {
    try ContainerReader(path: path, expecting: .table)
  }
  let reader = try ContainerReader(path: path, expecting: .graph)
  #expect(throws: StoreError.self) { try reader.array("offsets", as: Int32.self) }
  #expect(throws: StoreError.missingSection(path: path, name: "nope")) {
    try reader.array("nope", as: Int64.self)
  }
}

@Test(.removesTemporaryFiles) func corruptFilesGiveErrorsNotCrashes() throws {
  let good = try Data(contentsOf: fixtures.appendingPathComponent("container-v1.bin"))
  var mutations: [(String, Data)] = []
  for length in [0, 7, 63, 64, 200, good.count - 1] {
    mutations.append(("truncated to \(length)", good.prefix(length)))
  }
  var badMagic = good
  badMagic[0] = UInt8(ascii: "X")
  mutations.append(("bad magic", badMagic))
  var badVersion = good
  badVersion[8] = 9
  mutations.append(("version 9", badVersion))
  var badOffset = good
  let tocOffset = Int(good[24]) | Int(good[25]) << 8
  badOffset[tocOffset + 64 + 40] = 0xFF
  badOffset[tocOffset + 64 + 47] = 0x7F
  mutations.append(("section offset out of bounds", badOffset))
  for (what, bytes) in mutations {
    let path = TemporaryFiles.path("corrupt.bin")
    try bytes.write(to: URL(fileURLWithPath: path))
    #expect(throws: StoreError.self, "\(what)") { try ContainerReader(path: path, expecting: .table) }
  }
}

@Test(.removesTemporaryFiles) func versionMismatchCarriesTheHint() throws {
  var bytes = try Data(contentsOf: fixtures.appendingPathComponent("container-v1.bin"))
  bytes[8] = 2
  let path = TemporaryFiles.path("v2.bin")
  try bytes.write(to: URL(fileURLWithPath: path))
  do {
    _ = try ContainerReader(path: path, expecting: .table)
    Issue.record("opened a version-2 file")
  } catch {
    #expect("\(error)".contains("re-run `tributary preprocess`"))
  }
}
