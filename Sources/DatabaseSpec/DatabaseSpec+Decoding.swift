// Strict decoding of metadata.json: unknown keys are errors (typos must not pass silently), and every error names
// its place in the document (`tables[results].columns[3].type`).
import Foundation

public struct SpecError: Error, CustomStringConvertible, Equatable {
  /// Where in metadata.json, e.g. `tables[results].foreign_keys[0]`; empty for the whole document.
  public let path: String
  public let message: String
  public let file: String?

  public init(path: String, message: String, file: String? = nil) {
    self.path = path
    self.message = message
    self.file = file
  }

  public var description: String {
    let location = [file, path.isEmpty ? nil : path].compactMap { $0 }.joined(separator: ": ")
    return location.isEmpty ? message : "\(location): \(message)"
  }
}

extension DatabaseSpec {
  /// Reads and decodes `metadata.json`; structural validation is separate (`validate()`).
  public static func load(contentsOf url: URL) throws -> DatabaseSpec {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw SpecError(path: "", message: "cannot read: \(error.localizedDescription)", file: url.path)
    }
    return try decode(data, file: url.path)
  }

  public static func decode(_ data: Data, file: String? = nil) throws -> DatabaseSpec {
    do {
      return try JSONDecoder().decode(DatabaseSpec.self, from: data)
    } catch let error as DecodingError {
      throw SpecError(decoding: error, document: data, file: file)
    } catch let error as SpecError {
      throw SpecError(path: error.path, message: error.message, file: file)
    }
  }

  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }
}

extension SpecError {
  init(decoding error: DecodingError, document: Data, file: String?) {
    let names = TableNames(document)
    switch error {
    case .keyNotFound(let key, let context):
      self.init(
        path: names.render(context.codingPath), message: "missing required key '\(key.stringValue)'",
        file: file)
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
      self.init(
        path: names.render(context.codingPath), message: "expected \(type): \(context.debugDescription)",
        file: file)
    case .dataCorrupted(let context):
      self.init(path: names.render(context.codingPath), message: context.debugDescription, file: file)
    @unknown default:
      self.init(path: "", message: "\(error)", file: file)
    }
  }
}

/// Table names by index, read loosely from the document, so error paths say `tables[results]` not `tables[1]`.
private struct TableNames {
  let names: [String?]

  init(_ document: Data) {
    let object = try? JSONSerialization.jsonObject(with: document) as? [String: Any]
    let tables = object?["tables"] as? [Any] ?? []
    names = tables.map { ($0 as? [String: Any])?["name"] as? String }
  }

  func render(_ path: [any CodingKey]) -> String {
    var out = ""
    var previous: String?
    for key in path {
      if let index = key.intValue {
        let name = previous == "tables" && index < names.count ? names[index] : nil
        out += "[\(name ?? String(index))]"
      } else {
        out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
      }
      previous = key.stringValue
    }
    return out
  }
}

struct AnyCodingKey: CodingKey {
  let stringValue: String
  let intValue: Int?
  init(stringValue: String) {
    self.stringValue = stringValue
    self.intValue = nil
  }
  init(intValue: Int) {
    self.stringValue = String(intValue)
    self.intValue = intValue
  }
}

extension Decoder {
  /// Throws when the object at this level has a key outside `allowed`.
  func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_: Keys.Type) throws {
    let allowed = Set(Keys.allCases.map(\.stringValue))
    let present = try container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
    let unknown = present.filter { !allowed.contains($0) }.sorted()
    guard unknown.isEmpty else {
      let expected = allowed.sorted().joined(separator: ", ")
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: codingPath,
          debugDescription:
            "unknown key(s) \(unknown.map { "'\($0)'" }.joined(separator: ", ")); allowed: \(expected)"))
    }
  }
}
