// parquet.thrift `SchemaElement`: one node of the depth-first flattened schema tree, and its decoder.

/// parquet.thrift `SchemaElement`.
public struct SchemaElement: Sendable, Equatable {
  /// Physical type; nil for group nodes.
  public var type: PhysicalType?
  public var typeLength: Int32?
  public var repetitionType: FieldRepetitionType?
  public var name: String
  /// Number of children; nil (or absent) for leaves.
  public var numChildren: Int32?
  public var convertedType: ConvertedType?
  public var scale: Int32?
  public var precision: Int32?
  public var fieldId: Int32?
  public var logicalType: LogicalType?

  public init(
    name: String, type: PhysicalType? = nil, typeLength: Int32? = nil,
    repetitionType: FieldRepetitionType? = nil,
    numChildren: Int32? = nil, convertedType: ConvertedType? = nil, scale: Int32? = nil,
    precision: Int32? = nil,
    fieldId: Int32? = nil, logicalType: LogicalType? = nil
  ) {
    self.name = name
    self.type = type
    self.typeLength = typeLength
    self.repetitionType = repetitionType
    self.numChildren = numChildren
    self.convertedType = convertedType
    self.scale = scale
    self.precision = precision
    self.fieldId = fieldId
    self.logicalType = logicalType
  }
}

extension SchemaElement {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var element = SchemaElement(name: "")
    var sawName = false
    try r.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 1: element.type = try r.enumeration(field, PhysicalType.self)
      case 2: element.typeLength = try r.i32(field)
      case 3: element.repetitionType = try r.enumeration(field, FieldRepetitionType.self)
      case 4:
        element.name = try r.string(field)
        sawName = true
      case 5: element.numChildren = try r.i32(field)
      case 6: element.convertedType = ConvertedType(rawValue: try r.i32(field))
      case 7: element.scale = try r.i32(field)
      case 8: element.precision = try r.i32(field)
      case 9: element.fieldId = try r.i32(field)
      case 10:
        try r.expect(field, .structure)
        element.logicalType = try LogicalType.read(&r)
      default: try r.skip(field.type)
      }
    }
    guard sawName else { throw r.error("SchemaElement without a name") }
    self = element
  }
}
