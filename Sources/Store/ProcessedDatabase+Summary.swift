// Degree statistics of the row graph per edge type, for `tributary inspect`.

public struct DegreeStatistics: Codable, Sendable, Equatable {
  public var childTable: String
  public var parentTable: String
  public var via: [String]
  public var edges: Int
  public var dangling: Int
  public var nullKeys: Int
  /// Parent rows with at least one child of this type.
  public var parentsWithChildren: Int
  public var meanChildren: Double
  public var maxChildren: Int

  enum CodingKeys: String, CodingKey {
    case via, edges, dangling
    case childTable = "child_table"
    case parentTable = "parent_table"
    case nullKeys = "null_keys"
    case parentsWithChildren = "parents_with_children"
    case meanChildren = "mean_children"
    case maxChildren = "max_children"
  }
}

extension ProcessedDatabase {
  public func degreeStatistics() throws -> [DegreeStatistics] {
    let types = metadata.graph.edgeTypes
    var counts = [[Int]](repeating: [], count: types.count)
    for (index, type) in types.enumerated() {
      counts[index] = [Int](repeating: 0, count: metadata.tables[type.parentTable].rows)
    }
    try graph.withSection("child_offsets", as: Int64.self) { offsets in
      try graph.withSection("child_edge_types", as: UInt16.self) { edgeTypes in
        for (index, type) in types.enumerated() {
          let first = Int(metadata.tables[type.parentTable].nodeOffset)
          for row in 0..<metadata.tables[type.parentTable].rows {
            for edge in Int(offsets[first + row])..<Int(offsets[first + row + 1])
            where Int(edgeTypes[edge]) == index {
              counts[index][row] += 1
            }
          }
        }
      }
    }
    return types.enumerated().map { index, type in
      let perParent = counts[index]
      return DegreeStatistics(
        childTable: metadata.tables[type.childTable].name,
        parentTable: metadata.tables[type.parentTable].name,
        via: type.foreignKeyColumns, edges: type.edges, dangling: type.dangling, nullKeys: type.nullKeys,
        parentsWithChildren: perParent.filter { $0 > 0 }.count,
        meanChildren: perParent.isEmpty ? 0 : Double(type.edges) / Double(perParent.count),
        maxChildren: perParent.max() ?? 0)
    }
  }
}
