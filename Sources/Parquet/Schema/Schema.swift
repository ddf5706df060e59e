// Builds the schema tree from the footer's depth-first list of `SchemaElement`s and derives the leaf columns.
// A leaf under a repeated node or a group other than the root is nested: described, but marked unsupported.
// Refuses (throws) malformed trees: child counts past the list, leaves without a physical type, bad widths.

/// A node of the schema tree.
public struct SchemaNode: Sendable, Equatable {
  public var element: SchemaElement
  public var children: [SchemaNode]
}

/// The file's schema: the tree and its leaf columns in file order.
public struct Schema: Sendable, Equatable {
  public var root: SchemaNode
  public var columns: [ColumnDescriptor]

  /// The leaf with this dotted path, if any.
  public func column(named name: String) -> ColumnDescriptor? { columns.first { $0.name == name } }

  public init(elements: [SchemaElement]) throws(ParquetError) {
    guard let first = elements.first else { throw ParquetError(.corruptMetadata, "empty schema") }
    var builder = Builder(elements: elements)
    var root = SchemaNode(element: first, children: [])
    builder.next = 1
    root.children = try builder.children(of: first, depth: 1, path: [], def: 0, rep: 0, nested: nil)
    guard builder.next == elements.count else {
      throw ParquetError(
        .corruptMetadata, "schema has \(elements.count) elements but the tree uses \(builder.next)")
    }
    self.root = root
    self.columns = builder.columns
  }

  private struct Builder {
    static let maxDepth = 100
    let elements: [SchemaElement]
    var next = 0
    var columns: [ColumnDescriptor] = []

    mutating func children(
      of parent: SchemaElement, depth: Int, path: [String], def: Int, rep: Int, nested: String?
    ) throws(ParquetError) -> [SchemaNode] {
      guard depth < Self.maxDepth else { throw ParquetError(.corruptMetadata, "schema nested too deeply") }
      let count = Int(parent.numChildren ?? 0)
      guard count >= 0, count <= elements.count - next else {
        throw ParquetError(
          .corruptMetadata, "'\(parent.name)' claims \(count) children past the schema's end")
      }
      var nodes: [SchemaNode] = []
      for _ in 0..<count {
        nodes.append(try node(depth: depth, path: path, def: def, rep: rep, nested: nested))
      }
      return nodes
    }

    mutating func node(depth: Int, path: [String], def: Int, rep: Int, nested: String?) throws(ParquetError)
      -> SchemaNode
    {
      let element = elements[next]
      next += 1
      let path = path + [element.name]
      let def = def + (element.repetitionType == .required ? 0 : 1)
      let rep = rep + (element.repetitionType == .repeated ? 1 : 0)
      let isGroup = element.numChildren != nil && element.type == nil || (element.numChildren ?? 0) > 0
      if isGroup {
        let reason = nested ?? "nested column (inside group '\(path.joined(separator: "."))')"
        let children = try children(
          of: element, depth: depth + 1, path: path, def: def, rep: rep, nested: reason)
        return SchemaNode(element: element, children: children)
      }
      try checkLeaf(element, path: path)
      let reason = nested ?? (rep > 0 ? "repeated column" : nil)
      columns.append(
        ColumnDescriptor(
          index: columns.count, path: path, element: element, maxDefinitionLevel: def,
          maxRepetitionLevel: rep,
          unsupportedReason: reason.map { "\($0): nested data (lists, maps, structs) is not supported" }))
      return SchemaNode(element: element, children: [])
    }

    func checkLeaf(_ element: SchemaElement, path: [String]) throws(ParquetError) {
      guard let type = element.type else {
        throw ParquetError(.corruptMetadata, "leaf '\(path.joined(separator: "."))' has no physical type")
      }
      if type == .fixedLenByteArray {
        guard let width = element.typeLength, width >= 0 else {
          throw ParquetError(
            .corruptMetadata, "FIXED_LEN_BYTE_ARRAY '\(element.name)' without a valid type_length")
        }
      }
    }
  }
}
