// A leaf column of the schema: its dotted path, physical and logical types and max levels.
// Nested leaves (inside lists, maps, structs) are described too, but `unsupportedReason` says why they are refused.

/// Describes one leaf column.
public struct ColumnDescriptor: Sendable, Equatable {
  /// Position among the file's leaf columns (the index of its `ColumnChunk` in every row group).
  public var index: Int
  /// Names from the root's child down to the leaf.
  public var path: [String]
  public var element: SchemaElement
  public var maxDefinitionLevel: Int
  public var maxRepetitionLevel: Int
  /// Why this reader refuses the column (nested data); nil when it is readable.
  public var unsupportedReason: String?

  public init(
    index: Int, path: [String], element: SchemaElement, maxDefinitionLevel: Int, maxRepetitionLevel: Int,
    unsupportedReason: String? = nil
  ) {
    self.index = index
    self.path = path
    self.element = element
    self.maxDefinitionLevel = maxDefinitionLevel
    self.maxRepetitionLevel = maxRepetitionLevel
    self.unsupportedReason = unsupportedReason
  }

  /// The dotted path, e.g. `a.b.c`.
  public var name: String { path.joined(separator: ".") }
  /// The physical type (leaves always have one: the schema builder checks).
  public var physicalType: PhysicalType { element.type ?? .byteArray }
  public var typeLength: Int { Int(element.typeLength ?? 0) }
  public var isOptional: Bool { maxDefinitionLevel > 0 }
  public var logicalType: LogicalType? { element.logicalType }
  public var convertedType: ConvertedType? { element.convertedType }
}
