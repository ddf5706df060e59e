// The typed errors of the tensor engine. Every message names the op and the tensor at fault.

/// What went wrong in a tensor operation.
public enum TensorError: Error, Equatable, CustomStringConvertible, Sendable {
  /// A tensor's shape does not fit the op: `what` names the op and argument.
  case shapeMismatch(what: String, expected: String, found: [Int])
  /// A tensor holds the wrong element type.
  case dtypeMismatch(what: String, expected: DType, found: DType)
  /// The op needs a dense row-major tensor; call `backend.contiguous(_:)` first.
  case notContiguous(what: String)
  /// The memory lives on a device; copy it out before touching it from the CPU.
  case notHostMemory(what: String)
  /// The backend does not implement this op.
  case unsupported(op: Op, backend: String)
  /// An argument is outside its domain (a negative probability, an index past the end, ...).
  case invalidArgument(what: String, detail: String)

  public var description: String {
    switch self {
    case .shapeMismatch(let what, let expected, let found):
      return "\(what): expected shape \(expected), found \(found)"
    case .dtypeMismatch(let what, let expected, let found):
      return "\(what): expected \(expected), found \(found)"
    case .notContiguous(let what):
      return "\(what): tensor is a strided view ---> HINT: call backend.contiguous(_:) first"
    case .notHostMemory(let what):
      return "\(what): memory is not on the host ---> HINT: copy it out through the backend"
    case .unsupported(let op, let backend):
      return "op \(op) is not supported by backend \(backend)"
    case .invalidArgument(let what, let detail):
      return "\(what): \(detail)"
    }
  }
}
