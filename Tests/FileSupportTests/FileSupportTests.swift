import Foundation
import TestSupport
import Testing

@testable import FileSupport

@Test(.removesTemporaryFiles) func mapsTheBytesFoundationWrote() throws {
  let url = try TemporaryFiles.folder("files").appendingPathComponent("data")
  let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
  try Data(bytes).write(to: url)
  let file = try MemoryMappedFile(path: url.path)
  #expect(file.count == bytes.count)
  #expect(file.withBytes { Array($0) } == bytes)
}

@Test(.removesTemporaryFiles) func emptyMissingAndDirectoryPaths() throws {
  let dir = try TemporaryFiles.folder("files")
  let empty = dir.appendingPathComponent("empty")
  try Data().write(to: empty)
  #expect(try MemoryMappedFile(path: empty.path).withBytes { $0.count } == 0)
  #expect(throws: FileError.self) { try MemoryMappedFile(path: dir.appendingPathComponent("missing").path) }
  #expect(throws: FileError.self) { try MemoryMappedFile(path: dir.path) }
}

@Test(.removesTemporaryFiles) func atomicWriterPublishesOnlyOnCommit() throws {
  let dir = try TemporaryFiles.folder("files")
  let path = dir.appendingPathComponent("out.bin").path
  try Data([9, 9]).write(to: URL(fileURLWithPath: path))
  do {
    let writer = try AtomicFileWriter(path: path)
    try writer.write([1, 2, 3])
  }
  #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([9, 9]))
  #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.bin"])
  let writer = try AtomicFileWriter(path: path)
  try writer.write([1, 2, 3])
  try writer.pad(toMultipleOf: 8)
  try writer.overwrite(at: 1, [7])
  #expect(throws: FileError.self) { try writer.overwrite(at: 7, [1, 2]) }
  try writer.commit()
  #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([1, 7, 3, 0, 0, 0, 0, 0]))
}
