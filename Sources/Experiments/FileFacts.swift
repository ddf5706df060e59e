// Sizes, modification times and safetensors parameter counts of model and database files on disk. It
// reads only the safetensors header (8-byte length + JSON), never the tensors, and refuses headers over
// 100 MB or longer than the file.
import Foundation

enum FileFacts {
  static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

  static func isDirectory(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
  }

  /// Bytes of a file, or of every regular file under a directory.
  static func size(_ path: String) -> Int64 {
    files(under: path).reduce(0) { $0 + $1.size }
  }

  /// (relative path, size, modification time) of every regular file at or under `path`, sorted.
  static func files(under path: String) -> [(path: String, size: Int64, modified: Double)] {
    let manager = FileManager.default
    func facts(_ full: String, _ relative: String) -> (String, Int64, Double)? {
      guard let attributes = try? manager.attributesOfItem(atPath: full),
        attributes[.type] as? FileAttributeType == .typeRegular
      else { return nil }
      let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
      let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
      return (relative, size, modified)
    }
    guard isDirectory(path) else { return facts(path, "").map { [$0] } ?? [] }
    let relatives = (manager.enumerator(atPath: path)?.allObjects as? [String]) ?? []
    return relatives.sorted().compactMap { facts(path + "/" + $0, $0) }
  }

  /// Number of parameters in a safetensors file: the product of each tensor's shape, summed.
  static func safetensorsParameters(_ path: String) throws -> Int {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw ExperimentsError.badFile(path: path, reason: "cannot open")
    }
    defer { try? handle.close() }
    let fileSize = size(path)
    guard let prefix = try handle.read(upToCount: 8), prefix.count == 8 else {
      throw ExperimentsError.badFile(path: path, reason: "shorter than the 8-byte safetensors header length")
    }
    let length = prefix.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    guard length <= 100_000_000, Int64(length) + 8 <= fileSize, let count = Int(exactly: length) else {
      throw ExperimentsError.badFile(
        path: path, reason: "safetensors header length \(length) exceeds the file (\(fileSize) bytes)")
    }
    guard let header = try handle.read(upToCount: count), header.count == count,
      case .object(let tensors) = (try? JSONDecoder().decode(JSONValue.self, from: header)) ?? .null
    else { throw ExperimentsError.badFile(path: path, reason: "safetensors header is not a JSON object") }
    var total = 0
    for (name, tensor) in tensors where name != "__metadata__" {
      guard case .object(let fields) = tensor, case .array(let shape) = fields["shape"] ?? .null else {
        throw ExperimentsError.badFile(path: path, reason: "tensor '\(name)' has no shape")
      }
      var elements = 1
      for case .number(let dimension) in shape {
        guard let dimension = Int(exactly: dimension), dimension >= 0 else {
          throw ExperimentsError.badFile(path: path, reason: "tensor '\(name)' has a bad dimension")
        }
        elements = elements.multipliedReportingOverflow(by: dimension).partialValue
      }
      total = total.addingReportingOverflow(elements).partialValue
    }
    return total
  }
}
