// The semantic type code of a cell in a batch (docs/format.md, "Batches"): 0 marks padding, so a zeroed slot is
// never mistaken for a value. The same code names the loss a masked cell carries.
import DatabaseSpec

public enum CellType: UInt8, Sendable, CaseIterable, BitwiseCopyable {
  case padding = 0
  case numerical = 1
  case timestamp = 2
  case boolean = 3
  case categorical = 4
  case text = 5

  /// nil for the types that are never tokens (Identifier: structure; Ignored: not stored).
  public init?(_ type: SemanticType) {
    switch type {
    case .numerical: self = .numerical
    case .timestamp: self = .timestamp
    case .boolean: self = .boolean
    case .categorical: self = .categorical
    case .text: self = .text
    case .identifier, .ignored: return nil
    }
  }

  public var name: String {
    switch self {
    case .padding: return "padding"
    case .numerical: return "Numerical"
    case .timestamp: return "Timestamp"
    case .boolean: return "Boolean"
    case .categorical: return "Categorical"
    case .text: return "Text"
    }
  }
}
