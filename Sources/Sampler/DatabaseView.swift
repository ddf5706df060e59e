// One processed database as the sampler reads it: typed views of the graph and of every token column, plus a few
// arrays derived once (table of each node, token cells per row). Opening checks every invariant the hot path
// relies on (lengths, monotone CSR offsets, node and vocabulary ids in range), so sampling never bounds-checks
// and never traps on a corrupt file: a bad file is refused here with the file and section named.
import DatabaseSpec
import Foundation
import Store

/// A column that becomes tokens (every encoded column but Identifier ones).
struct ColumnView: @unchecked Sendable, BitwiseCopyable {
  let type: CellType
  /// Global column id within its database (index into column_embeddings.bin).
  let globalId: Int32
  let signal: Bool
  let valid: MappedBitmap
  let number: MappedArray<Float>
  let time: MappedArray<Float>
  /// Timestamp: exact µs, for the cyclic features (computed when a cell is written).
  let micros: MappedArray<Int64>
  let boolean: MappedArray<UInt8>
  let vocabulary: MappedArray<Int32>
}

struct TableView: Sendable {
  let name: String
  let rows: Int
  let nodeOffset: Int
  let columns: [ColumnView]
  let columnNames: [String]
  let hasSignal: Bool
}

final class DatabaseView: Sendable {
  let database: ProcessedDatabase
  let name: String
  let tables: [TableView]
  let nodeCount: Int
  let nodeTime: MappedArray<Int64>
  let parentOffsets: MappedArray<Int64>
  let parentNodes: MappedArray<UInt32>
  /// Index into metadata `graph.edge_types` of each parent edge (the foreign key followed).
  let parentEdgeTypes: MappedArray<UInt16>
  let childOffsets: MappedArray<Int64>
  let childNodes: MappedArray<UInt32>
  /// Table index of each node.
  let nodeTable: OwnedBuffer<UInt16>
  /// Token cells (valid, non-Identifier) of each node's row.
  let rowCells: OwnedBuffer<UInt16>
  /// The token columns of every table, flat (no reference counting on the hot path): table t's are
  /// `allColumns[columnStart[t] ..< columnStart[t + 1]]`.
  let allColumns: OwnedBuffer<ColumnView>
  let columnStart: OwnedBuffer<Int32>
  let tableNodeOffset: OwnedBuffer<Int>
  /// Most parents a row of any table can have (one per foreign key), at least 1 (a task row's entity).
  let maxParents: Int
  let columnCount: Int
  let timeMean: Double
  let timeScale: Double

  init(_ database: ProcessedDatabase) throws {
    self.database = database
    let m = database.metadata
    name = m.name
    nodeCount = m.graph.nodes
    columnCount = m.columnCount
    timeMean = m.time.meanMicros
    timeScale = m.time.scaleMicros > 0 ? m.time.scaleMicros : 1
    let graph = database.graph
    let n = nodeCount
    // Row slots hold node ids and column ids as i32 (docs/format.md, "Batches").
    guard n >= 0, n < Int(Int32.max), m.columnCount >= 0, m.columnCount < Int(Int32.max) - 2 else {
      throw SamplerError.inconsistent(
        path: graph.path, section: "metadata.json",
        reason: "\(n) nodes and \(m.columnCount) columns: the sampler takes fewer than 2^31 of each")
    }
    nodeTime = try MappedArray(graph, "node_time", as: Int64.self, expected: n)
    parentOffsets = try MappedArray(graph, "parent_offsets", as: Int64.self, expected: n + 1)
    parentNodes = try MappedArray(graph, "parent_nodes", as: UInt32.self)
    childOffsets = try MappedArray(graph, "child_offsets", as: Int64.self, expected: n + 1)
    childNodes = try MappedArray(graph, "child_nodes", as: UInt32.self)
    try Self.checkCSR(parentOffsets, parentNodes, nodes: n, path: graph.path, name: "parent")
    parentEdgeTypes = try MappedArray(
      graph, "parent_edge_types", as: UInt16.self, expected: parentNodes.count)
    for edge in 0..<parentEdgeTypes.count where Int(parentEdgeTypes[edge]) >= m.graph.edgeTypes.count {
      throw SamplerError.inconsistent(
        path: graph.path, section: "parent_edge_types", reason: "entry \(edge): type \(parentEdgeTypes[edge])"
      )
    }
    try Self.checkCSR(childOffsets, childNodes, nodes: n, path: graph.path, name: "child")
    try Self.checkChildOrder(childOffsets, childNodes, nodeTime, path: graph.path)
    tables = try Self.openTables(database)
    nodeTable = try Self.nodeTables(m, path: graph.path)
    rowCells = Self.countCells(tables, nodes: n)
    allColumns = OwnedBuffer(tables.flatMap(\.columns))
    var starts: [Int32] = [0]
    for table in tables { starts.append(starts[starts.count - 1] + Int32(table.columns.count)) }
    columnStart = OwnedBuffer(starts)
    tableNodeOffset = OwnedBuffer(tables.map(\.nodeOffset))
    var parents = [Int](repeating: 0, count: m.tables.count)
    for edge in m.graph.edgeTypes where edge.childTable >= 0 && edge.childTable < parents.count {
      parents[edge.childTable] += 1
    }
    maxParents = max(1, parents.max() ?? 1)
  }

  var tableCount: Int { tables.count }

  /// Offsets monotone from 0 to the edge count, every node id in range.
  private static func checkCSR(
    _ offsets: MappedArray<Int64>, _ nodes: MappedArray<UInt32>, nodes n: Int, path: String, name: String
  ) throws {
    guard offsets[0] == 0, offsets[n] == Int64(nodes.count) else {
      throw SamplerError.inconsistent(
        path: path, section: "\(name)_offsets", reason: "does not span 0..<\(nodes.count)")
    }
    for index in 0..<n where offsets[index] > offsets[index + 1] {
      throw SamplerError.inconsistent(
        path: path, section: "\(name)_offsets", reason: "decreases at node \(index)")
    }
    for index in 0..<nodes.count where Int(nodes[index]) >= n {
      throw SamplerError.inconsistent(
        path: path, section: "\(name)_nodes", reason: "entry \(index) names node \(nodes[index]) of \(n)")
    }
  }

  /// The visible children are found by binary search over time: each list must be sorted by time.
  private static func checkChildOrder(
    _ offsets: MappedArray<Int64>, _ nodes: MappedArray<UInt32>, _ time: MappedArray<Int64>, path: String
  ) throws {
    for node in 0..<(offsets.count - 1) {
      let start = Int(offsets[node])
      let end = Int(offsets[node + 1])
      guard end - start > 1 else { continue }
      for edge in start + 1..<end where time[Int(nodes[edge - 1])] > time[Int(nodes[edge])] {
        throw SamplerError.inconsistent(
          path: path, section: "child_nodes", reason: "children of node \(node) are not sorted by time")
      }
    }
  }

  private static func nodeTables(_ m: ProcessedMetadata, path: String) throws -> OwnedBuffer<UInt16> {
    let table = OwnedBuffer<UInt16>(count: m.graph.nodes, repeating: 0)
    var next = 0
    for (index, t) in m.tables.enumerated() {
      guard Int(t.nodeOffset) == next, t.rows >= 0, next + t.rows <= m.graph.nodes, index < Int(UInt16.max)
      else {
        throw SamplerError.inconsistent(
          path: path, section: "table_offsets", reason: "table \(t.name) does not start at node \(next)")
      }
      for node in next..<next + t.rows { table[node] = UInt16(index) }
      next += t.rows
    }
    guard next == m.graph.nodes else {
      throw SamplerError.inconsistent(
        path: path, section: "table_offsets", reason: "tables hold \(next) rows, graph \(m.graph.nodes)")
    }
    return table
  }

  private static func countCells(_ tables: [TableView], nodes: Int) -> OwnedBuffer<UInt16> {
    let cells = OwnedBuffer<UInt16>(count: nodes, repeating: 0)
    for table in tables {
      for column in table.columns {
        for row in 0..<table.rows where column.valid.isSet(row) {
          cells[table.nodeOffset + row] &+= 1
        }
      }
    }
    return cells
  }

  private static func openTables(_ database: ProcessedDatabase) throws -> [TableView] {
    try zip(database.metadata.tables, database.tables).map { table, file in
      let tokens = table.columns.filter { CellType($0.type) != nil }
      let columns = try tokens.map { column -> ColumnView in
        try openColumn(
          column, type: CellType(column.type) ?? .padding, file: file, rows: table.rows, database: database)
      }
      return TableView(
        name: table.name, rows: table.rows, nodeOffset: Int(table.nodeOffset), columns: columns,
        columnNames: tokens.map(\.name), hasSignal: columns.contains { $0.signal })
    }
  }

  private static func openColumn(
    _ column: ProcessedColumn, type: CellType, file: ContainerReader, rows: Int, database: ProcessedDatabase
  ) throws -> ColumnView {
    let s = column.section
    let m = database.metadata
    guard column.globalId >= 0, column.globalId < m.columnCount else {
      throw SamplerError.inconsistent(
        path: file.path, section: s, reason: "global id \(column.globalId) of \(m.columnCount) columns")
    }
    var view = ColumnView(
      type: type, globalId: Int32(column.globalId), signal: column.signal,
      valid: try MappedBitmap(file, "\(s).valid", rows: rows), number: .empty, time: .empty, micros: .empty,
      boolean: .empty, vocabulary: .empty)
    switch type {
    case .numerical:
      view = view.with(number: try MappedArray(file, "\(s).num", as: Float.self, expected: rows))
    case .timestamp:
      view = view.with(
        time: try MappedArray(file, "\(s).time", as: Float.self, expected: rows),
        micros: try MappedArray(file, "\(s).micros", as: Int64.self, expected: rows))
    case .boolean:
      view = view.with(boolean: try MappedArray(file, "\(s).bool", as: UInt8.self, expected: rows))
    case .categorical, .text:
      let ids = try MappedArray(file, "\(s).vocab", as: Int32.self, expected: rows)
      for row in 0..<rows where ids[row] < -1 || Int(ids[row]) >= m.vocabularySize {
        throw SamplerError.inconsistent(
          path: file.path, section: "\(s).vocab", reason: "row \(row): id \(ids[row]) of \(m.vocabularySize)")
      }
      view = view.with(vocabulary: ids)
    case .padding: break
    }
    return view
  }
}

extension ColumnView {
  func with(
    number: MappedArray<Float>? = nil, time: MappedArray<Float>? = nil, micros: MappedArray<Int64>? = nil,
    boolean: MappedArray<UInt8>? = nil, vocabulary: MappedArray<Int32>? = nil
  ) -> ColumnView {
    ColumnView(
      type: type, globalId: globalId, signal: signal, valid: valid, number: number ?? self.number,
      time: time ?? self.time, micros: micros ?? self.micros, boolean: boolean ?? self.boolean,
      vocabulary: vocabulary ?? self.vocabulary)
  }
}
