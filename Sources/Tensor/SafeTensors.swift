// safetensors files (https://huggingface.co/docs/safetensors), read memory-mapped and written atomically.
//
// Layout: u64 little-endian N | N bytes of UTF-8 JSON | data.
//   JSON: { "<name>": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...,
//           "__metadata__": {"<key>": "<string>"} }   (offsets relative to the start of the data)
// Reading validates every entry against the file before any byte is touched: known dtype, non-negative shape,
// `end - begin == product(shape) * dtype size` without overflow, ranges inside the file and not overlapping.
// A bad file gets a `SafeTensorsError` naming the file and the tensor, never a crash.
// Refuses: headers over 100 MB, float conversion of integer dtypes (and the reverse), big-endian hosts' layouts.
import FileSupport
import Foundation

/// Element types of the safetensors format.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
  case bool = "BOOL"
  case u8 = "U8"
  case i8 = "I8"
  case f8e4m3 = "F8_E4M3"
  case f8e5m2 = "F8_E5M2"
  case i16 = "I16"
  case u16 = "U16"
  case f16 = "F16"
  case bf16 = "BF16"
  case i32 = "I32"
  case u32 = "U32"
  case f32 = "F32"
  case f64 = "F64"
  case i64 = "I64"
  case u64 = "U64"

  /// Bytes per element.
  public var byteSize: Int {
    switch self {
    case .bool, .u8, .i8, .f8e4m3, .f8e5m2: return 1
    case .i16, .u16, .f16, .bf16: return 2
    case .i32, .u32, .f32: return 4
    case .f64, .i64, .u64: return 8
    }
  }
}

/// One tensor's entry in the header, validated against the file.
public struct SafeTensorInfo: Sendable, Equatable {
  public let name: String
  public let dtype: SafeTensorsDType
  public let shape: [Int]
  /// Byte range relative to the start of the data section.
  public let dataOffsets: Range<Int>

  public var elementCount: Int { dataOffsets.count / dtype.byteSize }
}

/// What went wrong with a safetensors file; every case names the file.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
  case cannotOpen(path: String, reason: String)
  case truncated(path: String, needed: Int, fileSize: Int)
  case invalidHeaderLength(path: String, length: UInt64, fileSize: Int)
  case invalidHeader(path: String, reason: String)
  case invalidTensor(path: String, name: String, reason: String)
  case missingTensor(path: String, name: String)
  case unsupportedConversion(path: String, name: String, dtype: String, to: String)
  case writeFailed(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason): return "\(path): cannot open safetensors file: \(reason)"
    case .truncated(let path, let needed, let size):
      return "\(path): truncated safetensors file: needs at least \(needed) bytes, has \(size)"
    case .invalidHeaderLength(let path, let length, let size):
      return "\(path): header length \(length) does not fit a file of \(size) bytes (or exceeds 100 MB)"
    case .invalidHeader(let path, let reason): return "\(path): invalid safetensors header: \(reason)"
    case .invalidTensor(let path, let name, let reason): return "\(path): tensor '\(name)': \(reason)"
    case .missingTensor(let path, let name): return "\(path): no tensor named '\(name)'"
    case .unsupportedConversion(let path, let name, let dtype, let to):
      return "\(path): tensor '\(name)' has dtype \(dtype), which does not convert to \(to)"
    case .writeFailed(let path, let reason): return "\(path): cannot write safetensors file: \(reason)"
    }
  }
}

/// A safetensors file mapped read-only into memory. Immutable after init, hence Sendable.
public final class SafeTensorsFile: @unchecked Sendable {
  public let path: String
  /// Tensors by name.
  public let tensors: [String: SafeTensorInfo]
  /// The free-form string map under `__metadata__` (empty when absent).
  public let metadata: [String: String]
  private let mapping: MemoryMappedFile
  private let dataStart: Int

  static let maxHeaderLength: UInt64 = 100_000_000

  public init(path: String) throws {
    self.path = path
    let mapping: MemoryMappedFile
    do {
      mapping = try MemoryMappedFile(path: path)
    } catch let error as FileError {
      throw SafeTensorsError.cannotOpen(path: path, reason: error.message)
    }
    self.mapping = mapping
    let size = mapping.count
    guard size >= 8 else {
      throw SafeTensorsError.truncated(path: path, needed: 8, fileSize: size)
    }
    let headerLength = mapping.withBytes { $0.loadUnaligned(as: UInt64.self).littleEndian }
    guard headerLength <= Self.maxHeaderLength, let length = Int(exactly: headerLength), length <= size - 8
    else {
      throw SafeTensorsError.invalidHeaderLength(path: path, length: headerLength, fileSize: size)
    }
    let dataStart = 8 + length
    self.dataStart = dataStart
    let headerBytes = mapping.withBytes { Data(UnsafeRawBufferPointer(rebasing: $0[8..<dataStart])) }
    let header = try SafeTensorsHeader.parse(headerBytes, path: path, dataSize: size - dataStart)
    tensors = header.tensors
    metadata = header.metadata
  }

  /// Tensor names in file order.
  public var names: [String] {
    tensors.values.sorted {
      ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name)
        < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name)
    }.map(\.name)
  }

  public func info(_ name: String) throws -> SafeTensorInfo {
    guard let info = tensors[name] else { throw SafeTensorsError.missingTensor(path: path, name: name) }
    return info
  }

  /// The tensor's raw little-endian bytes; the pointer is valid only inside `body`.
  public func withRawBytes<R>(of name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
    let info = try info(name)
    let range = (dataStart + info.dataOffsets.lowerBound)..<(dataStart + info.dataOffsets.upperBound)
    return try mapping.withBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
  }

  /// The tensor as Float, converted from F32, F16, BF16 or F64.
  public func floats(_ name: String) throws -> [Float] {
    let info = try info(name)
    let count = info.elementCount
    return try withRawBytes(of: name) { raw in
      switch info.dtype {
      case .f32 where UInt32(littleEndian: 1) == 1:
        // Little-endian host: the bytes already are Floats; one copy, no per-element work.
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
          if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw) }
          initialized = count
        }
      case .f32:
        return Self.convert(raw, count, from: UInt32.self) { Float(bitPattern: UInt32(littleEndian: $0)) }
      case .f16: return Self.convert(raw, count, from: UInt16.self) { halfToFloat(UInt16(littleEndian: $0)) }
      case .bf16:
        return Self.convert(raw, count, from: UInt16.self) {
          Float(bitPattern: UInt32(UInt16(littleEndian: $0)) << 16)
        }
      case .f64:
        return Self.convert(raw, count, from: UInt64.self) {
          Float(Double(bitPattern: UInt64(littleEndian: $0)))
        }
      default:
        throw SafeTensorsError.unsupportedConversion(
          path: path, name: name, dtype: info.dtype.rawValue, to: "Float")
      }
    }
  }

  /// The tensor as Int64, converted from any integer dtype or BOOL.
  public func int64s(_ name: String) throws -> [Int64] {
    let info = try info(name)
    let count = info.elementCount
    return try withRawBytes(of: name) { raw in
      switch info.dtype {
      case .i64: return Self.convert(raw, count, from: Int64.self) { Int64(littleEndian: $0) }
      case .u64:
        return try Self.convert(raw, count, from: UInt64.self) {
          guard let value = Int64(exactly: UInt64(littleEndian: $0)) else {
            throw SafeTensorsError.invalidTensor(path: path, name: name, reason: "U64 value over Int64.max")
          }
          return value
        }
      case .i32: return Self.convert(raw, count, from: Int32.self) { Int64(Int32(littleEndian: $0)) }
      case .u32: return Self.convert(raw, count, from: UInt32.self) { Int64(UInt32(littleEndian: $0)) }
      case .i16: return Self.convert(raw, count, from: Int16.self) { Int64(Int16(littleEndian: $0)) }
      case .u16: return Self.convert(raw, count, from: UInt16.self) { Int64(UInt16(littleEndian: $0)) }
      case .i8: return Self.convert(raw, count, from: Int8.self) { Int64($0) }
      case .u8, .bool: return Self.convert(raw, count, from: UInt8.self) { Int64($0) }
      default:
        throw SafeTensorsError.unsupportedConversion(
          path: path, name: name, dtype: info.dtype.rawValue, to: "Int64")
      }
    }
  }

  private static func convert<Raw, Out>(
    _ raw: UnsafeRawBufferPointer, _ count: Int, from: Raw.Type, _ transform: (Raw) throws -> Out
  ) rethrows -> [Out] {
    var out: [Out] = []
    out.reserveCapacity(count)
    let stride = MemoryLayout<Raw>.size
    for index in 0..<count {
      out.append(try transform(raw.loadUnaligned(fromByteOffset: index * stride, as: Raw.self)))
    }
    return out
  }
}

/// IEEE 754 half precision to single, including subnormals, infinities and NaN.
@inlinable
public func halfToFloat(_ bits: UInt16) -> Float {
  let sign = UInt32(bits & 0x8000) << 16
  let exponent = UInt32(bits >> 10) & 0x1F
  let mantissa = UInt32(bits & 0x3FF)
  if exponent == 0x1F {
    return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
  }
  if exponent == 0 {
    // Subnormal (or zero): mantissa * 2^-24, exact in Float.
    let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
    return sign == 0 ? magnitude : -magnitude
  }
  return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
}

// MARK: - Header

/// The parsed and validated JSON header.
struct SafeTensorsHeader {
  var tensors: [String: SafeTensorInfo] = [:]
  var metadata: [String: String] = [:]

  private struct Entry: Decodable {
    let dtype: String
    let shape: [Int]
    let data_offsets: [Int]
  }

  private struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  private struct RawHeader: Decodable {
    var entries: [String: Entry] = [:]
    var metadata: [String: String] = [:]

    init(from decoder: Decoder) throws {
      let container = try decoder.container(keyedBy: AnyKey.self)
      for key in container.allKeys {
        if key.stringValue == "__metadata__" {
          metadata = try container.decode([String: String].self, forKey: key)
        } else {
          entries[key.stringValue] = try container.decode(Entry.self, forKey: key)
        }
      }
    }
  }

  static func parse(_ json: Data, path: String, dataSize: Int) throws -> SafeTensorsHeader {
    let raw: RawHeader
    do {
      raw = try JSONDecoder().decode(RawHeader.self, from: json)
    } catch {
      throw SafeTensorsError.invalidHeader(path: path, reason: "\(error)")
    }
    var header = SafeTensorsHeader(metadata: raw.metadata)
    for (name, entry) in raw.entries {
      header.tensors[name] = try validate(entry, name: name, path: path, dataSize: dataSize)
    }
    try checkNoOverlap(Array(header.tensors.values), path: path)
    return header
  }

  private static func validate(_ entry: Entry, name: String, path: String, dataSize: Int) throws
    -> SafeTensorInfo
  {
    func fail(_ reason: String) -> SafeTensorsError {
      .invalidTensor(path: path, name: name, reason: reason)
    }
    guard let dtype = SafeTensorsDType(rawValue: entry.dtype) else {
      throw fail("unknown dtype \(entry.dtype)")
    }
    guard entry.shape.allSatisfy({ $0 >= 0 }) else {
      throw fail("negative dimension in shape \(entry.shape)")
    }
    guard entry.data_offsets.count == 2 else {
      throw fail("data_offsets must be [begin, end], found \(entry.data_offsets)")
    }
    let begin = entry.data_offsets[0]
    let end = entry.data_offsets[1]
    guard begin >= 0, begin <= end, end <= dataSize else {
      throw fail("data_offsets [\(begin), \(end)] outside the data section of \(dataSize) bytes")
    }
    guard let bytes = byteCount(shape: entry.shape, elementSize: dtype.byteSize), bytes == end - begin else {
      throw fail("shape \(entry.shape) of \(dtype.rawValue) needs a different size than \(end - begin) bytes")
    }
    return SafeTensorInfo(name: name, dtype: dtype, shape: entry.shape, dataOffsets: begin..<end)
  }

  /// product(shape) * elementSize, or nil on overflow.
  static func byteCount(shape: [Int], elementSize: Int) -> Int? {
    var total = elementSize
    for dimension in shape {
      let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
      guard !overflow else { return nil }
      total = product
    }
    return total
  }

  private static func checkNoOverlap(_ infos: [SafeTensorInfo], path: String) throws {
    let sorted = infos.filter { !$0.dataOffsets.isEmpty }.sorted {
      $0.dataOffsets.lowerBound < $1.dataOffsets.lowerBound
    }
    for (previous, next) in zip(sorted, sorted.dropFirst())
    where next.dataOffsets.lowerBound < previous.dataOffsets.upperBound {
      throw SafeTensorsError.invalidTensor(
        path: path, name: next.name, reason: "data overlaps tensor '\(previous.name)'")
    }
  }
}

// MARK: - Memory mapping

// MARK: - Writing

/// One tensor to write: its dtype, shape and little-endian bytes.
public struct SafeTensorsEntry: Sendable {
  public let name: String
  public let dtype: SafeTensorsDType
  public let shape: [Int]
  public let bytes: [UInt8]

  public init(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8]) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.bytes = bytes
  }

  /// An F32 tensor from Float values.
  public init(name: String, shape: [Int], floats: [Float]) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(floats.count * 4)
    for value in floats {
      withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }
    self.init(name: name, dtype: .f32, shape: shape, bytes: bytes)
  }
}

public enum SafeTensorsWriter {
  /// Writes `entries` in order (header padded with spaces so the data starts 8-byte aligned) to a temporary
  /// file beside `path`, then renames it over `path`: readers never see a half-written file.
  public static func write(_ entries: [SafeTensorsEntry], metadata: [String: String] = [:], to path: String)
    throws
  {
    let header = try headerJSON(entries, metadata: metadata, path: path)
    var file = Data()
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
    file.append(header)
    for entry in entries { file.append(contentsOf: entry.bytes) }
    do {
      let writer = try AtomicFileWriter(path: path)
      try file.withUnsafeBytes { try writer.write($0) }
      try writer.commit()
    } catch {
      throw SafeTensorsError.writeFailed(path: path, reason: "\(error)")
    }
  }

  static func headerJSON(_ entries: [SafeTensorsEntry], metadata: [String: String], path: String) throws
    -> Data
  {
    var object: [String: Any] = [:]
    var offset = 0
    for entry in entries {
      guard object[entry.name] == nil, entry.name != "__metadata__" else {
        throw SafeTensorsError.invalidTensor(
          path: path, name: entry.name, reason: "duplicate or reserved name")
      }
      guard entry.shape.allSatisfy({ $0 >= 0 }),
        SafeTensorsHeader.byteCount(shape: entry.shape, elementSize: entry.dtype.byteSize)
          == entry.bytes.count
      else {
        throw SafeTensorsError.invalidTensor(
          path: path, name: entry.name,
          reason: "shape \(entry.shape) of \(entry.dtype.rawValue) does not match \(entry.bytes.count) bytes")
      }
      object[entry.name] = [
        "dtype": entry.dtype.rawValue, "shape": entry.shape,
        "data_offsets": [offset, offset + entry.bytes.count],
      ]
      offset += entry.bytes.count
    }
    if !metadata.isEmpty { object["__metadata__"] = metadata }
    var json: Data
    do {
      json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    } catch {
      throw SafeTensorsError.writeFailed(path: path, reason: "\(error)")
    }
    let padding = (8 - json.count % 8) % 8
    json.append(contentsOf: [UInt8](repeating: 0x20, count: padding))
    return json
  }
}
