// Resolves every foreign key of every table against the referenced table's primary key into graph edges.
// Null foreign-key values are no link; values with no matching row are dangling links, counted per key.
// Primary-key indexes are built one table per worker and key lookups split into blocks of rows over the workers;
// edges are then added in (edge type, row) order, so the graph does not depend on the number of threads.
import DatabaseSpec
import Runtime
import Store

enum GraphAssembly {
  /// Parent row of a child row whose key has a null part, and of one whose key matches no row.
  static let nullKey: Int32 = -2
  static let dangling: Int32 = -1

  static func build(_ tables: [LoadedTable], threads: Int) throws -> RowGraph {
    let referenced = Set(tables.flatMap { $0.spec.foreignKeys.map(\.referencedTable) })
    // Every primary key is checked for duplicates; only the referenced ones are kept for lookups.
    let indexes = try Parallel.map(tables.count, threads: threads) { position -> KeyIndex? in
      let index = try primaryKeyIndex(tables[position])
      return referenced.contains(tables[position].spec.name) ? index : nil
    }
    var nodeTime: [Int64] = []
    nodeTime.reserveCapacity(tables.reduce(0) { $0 + $1.rowCount })
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
        let keys = table.foreignKeys[fkIndex]
        try checkCompatible(keys, index, table: table, foreignKey: foreignKey)
        let parentRows = resolve(keys, in: index, threads: threads)
        var type = EdgeType(
          childTable: table.index, foreignKeyColumns: foreignKey.columns, parentTable: parent.index)
        (type.edges, type.nullKeys, type.dangling) = builder.addEdges(
          childTable: table.index, parentTable: parent.index, parentRows: parentRows, type: edgeTypes.count)
        edgeTypes.append(type)
      }
    }
    return builder.build(edgeTypes: edgeTypes, threads: threads)
  }

  /// The parent row of each child row (`nullKey`, `dangling` where there is none), looked up in blocks of rows.
  static func resolve(_ keys: KeyColumns, in index: KeyIndex, threads: Int) -> [Int32] {
    let rows = keys.valid.count
    var parentRows = [Int32](repeating: nullKey, count: rows)
    parentRows.withUnsafeMutableBufferPointer { out in
      keys.valid.withUnsafeBufferPointer { valid in
        let workers = max(1, min(threads, rows / 16_384))
        Parallel.forEach(workers, threads: workers) { worker in
          for row in Parallel.block(worker, of: workers, count: rows) where valid[row] {
            // Row numbers fit: the key index stores them as Int32.
            out[row] = index.lookup(keys.parts, row: row).map { Int32(truncatingIfNeeded: $0) } ?? dangling
          }
        }
      }
    }
    return parentRows
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
