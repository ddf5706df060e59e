// The parameter types of every kernel, read from its CUDA C declaration, so that a launch whose Swift arguments do
// not match the C signature fails with a typed error naming the kernel and the parameter instead of reading garbage
// on the device. Parsing is done once, from `KernelSource.all`.
// Refuses: C types it does not know (a kernel using one fails the parse test in CI).
import Foundation

/// The kind of one kernel parameter, as `KernelArgument` passes it.
enum ParameterKind: Equatable, CustomStringConvertible {
  case pointer, int32, int64, uint64, float
  /// A by-value struct of this many `long long` fields.
  case int64s(Int)

  var description: String {
    switch self {
    case .pointer: return "pointer"
    case .int32: return "int"
    case .int64: return "long long"
    case .uint64: return "unsigned long long"
    case .float: return "float"
    case .int64s(let n): return "struct of \(n) long longs"
    }
  }

  init?(cDeclaration: String) {
    let words = cDeclaration.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    guard words.count >= 2 else { return nil }
    if cDeclaration.contains("*") {
      self = .pointer
      return
    }
    let type = words.dropLast().filter { $0 != "const" }.joined(separator: " ")
    switch type {
    case "int": self = .int32
    case "i64", "long long": self = .int64
    case "u64", "unsigned long long": self = .uint64
    case "float": self = .float
    case "StridedView": self = .int64s(14)
    case "Broadcast": self = .int64s(19)
    case "Reduction": self = .int64s(38)
    default: return nil
    }
  }
}

enum KernelSignature {
  /// Parameter kinds of every `extern "C" __global__ void` kernel in `source`; throws on an unknown C type.
  static func parse(_ source: String) throws -> [String: [ParameterKind]] {
    var table: [String: [ParameterKind]] = [:]
    let marker = "extern \"C\" __global__ void "
    var rest = source[...]
    while let start = rest.range(of: marker) {
      let afterName = rest[start.upperBound...]
      guard let open = afterName.firstIndex(of: "("), let close = afterName[open...].firstIndex(of: ")")
      else { break }
      let name = String(afterName[..<open]).trimmingCharacters(in: .whitespaces)
      let parameters = afterName[afterName.index(after: open)..<close].split(separator: ",")
      table[name] = try parameters.map { declaration in
        guard let kind = ParameterKind(cDeclaration: String(declaration)) else {
          throw CUDAError.invalidLaunch(kernel: name, detail: "unknown parameter type in '\(declaration)'")
        }
        return kind
      }
      rest = afterName[close...]
    }
    return table
  }

  /// The table of the backend's kernels (empty if the source does not parse: launches are then unchecked, and the
  /// CI test fails).
  static let table: [String: [ParameterKind]] = (try? parse(KernelSource.all)) ?? [:]

  /// Throws unless `arguments` match kernel `name`'s declared parameters.
  static func check(_ name: String, _ arguments: [KernelArgument]) throws {
    guard let expected = table[name] else { return }
    guard expected.count == arguments.count else {
      throw CUDAError.invalidLaunch(
        kernel: name, detail: "\(arguments.count) arguments for \(expected.count) parameters")
    }
    for (index, (kind, argument)) in zip(expected, arguments).enumerated() where kind != argument.kind {
      throw CUDAError.invalidLaunch(
        kernel: name, detail: "parameter \(index) is \(kind), the launch passes \(argument.kind)")
    }
  }
}

extension KernelArgument {
  var kind: ParameterKind {
    switch self {
    case .pointer: return .pointer
    case .int32: return .int32
    case .int64: return .int64
    case .uint64: return .uint64
    case .float: return .float
    case .int64s(let values): return .int64s(values.count)
    }
  }
}
