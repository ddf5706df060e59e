// Resolves every foreign key of every table against the referenced table's primary key into graph edges.
// Null foreign-key values are no link; values with no matching row are dangling links, counted per key.
import DatabaseSpec
import Store

enum GraphAssembly {
  static func build(_ tables: [LoadedTable]) throws -> RowGraph {
    let indexes = try tables.map { try primaryKeyIndex($0) }
    var nodeTime: [Int64] = []
    for table in tables {
      nodeTime += table.rowTime ?? [Int64](repeating: RowGraph.staticTime, count: table.rowCount)
    }
    var builder = RowGraphBuilder(tableRowCounts: tables.map(\.rowCount), nodeTime: nodeTime)
    var edgeTypes: [EdgeType] = []
    for table in tables {
      for (fkIndex, foreignKey) in table.spec.foreignKeys.enumerated() {
        guard let parent = tables.first(where: { $0.spec.name == foreignKey.referencedTable }),
          let index = indexes[parent.index]
        else { continue }
        var type = EdgeType(
          childTable: table.index, foreignKeyColumns: foreignKey.columns, parentTable: parent.index)
        let keys = table.foreignKeys[fkIndex]
        try checkCompatible(keys, index, table: table, foreignKey: foreignKey)
        for row in 0..<table.rowCount {
          guard keys.valid[row] else {
            type.nullKeys += 1
            continue
          }
          guard let parentRow = index.lookup(keys.parts, row: row) else {
            type.dangling += 1
            continue
          }
          builder.addEdge(
            child: builder.node(table: table.index, row: row),
            parent: builder.node(table: parent.index, row: parentRow),
            type: edgeTypes.count)
          type.edges += 1
        }
        edgeTypes.append(type)
      }
    }
    return builder.build(edgeTypes: edgeTypes)
  }

  static func primaryKeyIndex(_ table: LoadedTable) throws -> KeyIndex? {
    guard let key = table.primaryKey, let names = table.spec.primaryKey else { return nil }
    do {
      return try KeyIndex(parts: key.parts, valid: { key.valid[$0] })
    } catch .duplicate(let first, let second) {
      throw PreprocessError.duplicatePrimaryKey(
        file: table.file, table: table.spec.name, key: names, firstRow: first, secondRow: second)
    } catch .tooManyParts(let count) {
      throw PreprocessError.keyTypeMismatch(
        table: table.spec.name, columns: names, referencedTable: table.spec.name,
        reason: "\(count) key columns; at most \(KeyIndex.maxParts) are supported")
    }
  }

  private static func checkCompatible(
    _ keys: KeyColumns, _ index: KeyIndex, table: LoadedTable, foreignKey: ForeignKeySpec
  ) throws {
    for (part, referenced) in zip(keys.parts, index.parts) where part.isString != referenced.isString {
      throw PreprocessError.keyTypeMismatch(
        table: table.spec.name, columns: foreignKey.columns, referencedTable: foreignKey.referencedTable,
        reason: "one side is a string and the other a number or time")
    }
  }
}
