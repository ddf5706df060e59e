// Corrupt safetensors files: each gets the specific SafeTensorsError, and no prefix of a valid file crashes.
import Foundation
import TestSupport
import Testing

@testable import Tensor

private func write(_ bytes: [UInt8]) throws -> String {
  let path = TemporaryFiles.path("corrupt.safetensors")
  try Data(bytes).write(to: URL(fileURLWithPath: path))
  return path
}

private func handMade(_ header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
  let json = Array(header.utf8)
  var bytes: [UInt8] = []
  withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian) { bytes.append(contentsOf: $0) }
  return bytes + json + data
}

private enum Expected: String, CaseIterable {
  case truncated, headerLength, header, tensor
}

private func kind(of error: SafeTensorsError) -> Expected? {
  switch error {
  case .truncated: return .truncated
  case .invalidHeaderLength: return .headerLength
  case .invalidHeader: return .header
  case .invalidTensor: return .tensor
  default: return nil
  }
}

private let corruptCases: [(String, [UInt8], Expected)] = [
  ("empty file", [], .truncated),
  ("five bytes", [1, 2, 3, 4, 5], .truncated),
  ("header length past the end", handMade("{}", declaredLength: 3), .headerLength),
  ("header length over 100 MB", handMade("{}", declaredLength: 1 << 40), .headerLength),
  ("header length with top bit set", handMade("{}", declaredLength: UInt64.max), .headerLength),
  ("not JSON", handMade("{not json"), .header),
  ("JSON array", handMade("[1, 2]"), .header),
  (
    "shape not integer",
    handMade(#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), .header
  ),
  ("missing field", handMade(#"{"a":{"dtype":"F32","shape":[1]}}"#, data: [0, 0, 0, 0]), .header),
  ("metadata not strings", handMade(#"{"__metadata__":{"a":1}}"#), .header),
  (
    "unknown dtype",
    handMade(#"{"a":{"dtype":"F17","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), .tensor
  ),
  (
    "negative dimension",
    handMade(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), .tensor
  ),
  (
    "offsets past the data",
    handMade(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0]), .tensor
  ),
  (
    "offsets reversed",
    handMade(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#, data: [0, 0, 0, 0]), .tensor
  ),
  (
    "three offsets",
    handMade(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#, data: [0, 0, 0, 0]), .tensor
  ),
  (
    "size differs from shape",
    handMade(#"{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), .tensor
  ),
  (
    "shape overflows",
    handMade(
      #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
    .tensor
  ),
  (
    "overlapping tensors",
    handMade(
      #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
      data: [UInt8](repeating: 0, count: 8)),
    .tensor
  ),
]

@Test(.removesTemporaryFiles) func corruptFilesGiveSpecificErrors() throws {
  for (name, bytes, expected) in corruptCases {
    let path = try write(bytes)
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
      _ = try SafeTensorsFile(path: path)
      Issue.record("\(name): opened without error")
    } catch let error as SafeTensorsError {
      #expect(kind(of: error) == expected, "\(name): \(error)")
      #expect(error.description.contains(path), "\(name): the message names the file")
    }
  }
}

@Test(.removesTemporaryFiles) func everyPrefixOfAValidFileFailsCleanly() throws {
  let valid = [UInt8](try #require(Data(base64Encoded: SafeTensorsFixtures.mixedBase64)))
  for length in 0..<valid.count {
    let path = try write(Array(valid.prefix(length)))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: SafeTensorsError.self, "prefix of \(length) bytes") { try SafeTensorsFile(path: path) }
  }
}

@Test(.removesTemporaryFiles) func lookupAndConversionErrors() throws {
  let valid = [UInt8](try #require(Data(base64Encoded: SafeTensorsFixtures.mixedBase64)))
  let path = try write(valid)
  defer { try? FileManager.default.removeItem(atPath: path) }
  let file = try SafeTensorsFile(path: path)
  #expect(throws: SafeTensorsError.missingTensor(path: path, name: "nope")) { try file.floats("nope") }
  #expect(throws: SafeTensorsError.unsupportedConversion(path: path, name: "ids", dtype: "I64", to: "Float"))
  {
    try file.floats("ids")
  }
  #expect(throws: SafeTensorsError.unsupportedConversion(path: path, name: "half", dtype: "F16", to: "Int64"))
  {
    try file.int64s("half")
  }
  let missing = path + ".absent"
  #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: missing) }
}
