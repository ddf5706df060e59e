// A JSON document held as a value, for configurations and hardware read back from the store (stored as
// JSON text) and for flattening configs into dotted keys to compare runs. Numbers are Doubles.
import Foundation

public enum JSONValue: Codable, Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }

  /// Parses JSON text; malformed text becomes a string holding it, so a bad row never stops a report.
  static func parse(_ text: String?) -> JSONValue {
    guard let text else { return .null }
    return (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
  }

  /// Leaves as "a.b.c" keys (arrays as "a[0]") with their values rendered as short text.
  func flattened(prefix: String = "") -> [(key: String, value: String)] {
    switch self {
    case .object(let members):
      return members.keys.sorted().flatMap { key in
        members[key, default: .null].flattened(prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
      }
    case .array(let items):
      return items.enumerated().flatMap { index, item in item.flattened(prefix: "\(prefix)[\(index)]") }
    default:
      return [(prefix, rendered)]
    }
  }

  var rendered: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return String(value)
    case .number(let value): return NumberText.render(value)
    case .string(let value): return value
    case .array, .object:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
  }

  var stringArray: [String] {
    guard case .array(let items) = self else { return [] }
    return items.map(\.rendered)
  }
}

enum NumberText {
  /// Integers without a fraction, others with up to 6 significant digits ("0.000123", "1.5e+06").
  static func render(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(format: "%.6g", value)
  }

  static func render(_ value: Double?) -> String { value.map { render($0) } ?? "" }
}
