// Decoding a row of a processed database back to human-readable values (numbers un-z-scored, timestamps as
// ISO-8601, vocabulary strings) with its parents and children: the debugging view of `tributary inspect`.
import DatabaseSpec
import Foundation

public struct DecodedCell: Codable, Sendable, Equatable {
  public var column: String
  public var type: SemanticType
  /// nil for a null cell; Identifier cells show "present".
  public var value: String?
}

public struct RowLink: Codable, Sendable, Equatable {
  public var table: String
  public var row: Int
  public var via: [String]

  public init(table: String, row: Int, via: [String]) {
    self.table = table
    self.row = row
    self.via = via
  }
}

public struct ChildGroup: Codable, Sendable, Equatable {
  public var table: String
  public var via: [String]
  public var count: Int
  /// The first few children, earliest first.
  public var rows: [Int]

  public init(table: String, via: [String], count: Int, rows: [Int]) {
    self.table = table
    self.via = via
    self.count = count
    self.rows = rows
  }
}

public struct DecodedRow: Codable, Sendable, Equatable {
  public var table: String
  public var row: Int
  public var time: String?
  public var cells: [DecodedCell]
  public var parents: [RowLink]
  public var children: [ChildGroup]
}

extension ProcessedDatabase {
  public func decodeRow(table name: String, row: Int, childLimit: Int = 5) throws -> DecodedRow {
    guard let (index, table) = table(named: name) else {
      throw StoreError.missingSection(path: directory.path, name: "table '\(name)'")
    }
    guard row >= 0, row < table.rows else {
      throw StoreError.invalidSection(
        path: tables[index].path, name: "row \(row)", reason: "table has \(table.rows) rows")
    }
    let file = tables[index]
    let cells = try table.columns.map { try decodeCell($0, row: row, file: file) }
    // Int64.min marks a null time (docs/format.md): the row is shown without one.
    let micros = try file.sections["row_time"].map { _ in
      try file.withSection("row_time", as: Int64.self) { $0[row] }
    }
    let time = micros.flatMap { $0 == Int64.min ? nil : ISO8601Micros.format($0) }
    let node = Int(table.nodeOffset) + row
    return DecodedRow(
      table: name, row: row, time: time, cells: cells, parents: try parents(of: node),
      children: try children(of: node, limit: childLimit))
  }

  private func decodeCell(_ column: ProcessedColumn, row: Int, file: ContainerReader) throws -> DecodedCell {
    let valid = try file.withSectionBytes("\(column.section).valid") {
      $0[row >> 3] & (1 << UInt8(row & 7)) != 0
    }
    var cell = DecodedCell(column: column.name, type: column.type, value: nil)
    guard valid else { return cell }
    let s = column.section
    switch column.type {
    case .identifier, .ignored: cell.value = "present"
    case .numerical:
      let z = try file.withSection("\(s).num", as: Float.self) { $0[row] }
      cell.value = Self.render(column.statistics?.unscale(Double(z)) ?? Double(z))
    case .timestamp:
      cell.value = ISO8601Micros.format(try file.withSection("\(s).micros", as: Int64.self) { $0[row] })
    case .boolean:
      cell.value = try file.withSection("\(s).bool", as: UInt8.self) { $0[row] } != 0 ? "true" : "false"
    case .categorical, .text:
      cell.value = try vocabularyValue(Int(try file.withSection("\(s).vocab", as: Int32.self) { $0[row] }))
    }
    return cell
  }

  /// (table index, row) of a global node id.
  public func locate(node: Int) -> (table: Int, row: Int) {
    let offsets = metadata.tables.map { Int($0.nodeOffset) }
    let table = (offsets.lastIndex { $0 <= node }) ?? 0
    return (table, node - offsets[table])
  }

  private func parents(of node: Int) throws -> [RowLink] {
    let (range, nodes, types) = try adjacency("parent", node)
    return range.map { edge in
      let (table, row) = locate(node: Int(nodes[edge]))
      let type = metadata.graph.edgeTypes[Int(types[edge])]
      return RowLink(table: metadata.tables[table].name, row: row, via: type.foreignKeyColumns)
    }
  }

  private func children(of node: Int, limit: Int) throws -> [ChildGroup] {
    let (range, nodes, types) = try adjacency("child", node)
    var groups: [Int: ChildGroup] = [:]
    for edge in range {
      let type = Int(types[edge])
      let (table, row) = locate(node: Int(nodes[edge]))
      var group =
        groups[type]
        ?? ChildGroup(
          table: metadata.tables[table].name, via: metadata.graph.edgeTypes[type].foreignKeyColumns, count: 0,
          rows: [])
      group.count += 1
      if group.rows.count < limit { group.rows.append(row) }
      groups[type] = group
    }
    return groups.keys.sorted().compactMap { groups[$0] }
  }

  private func adjacency(_ prefix: String, _ node: Int) throws -> (Range<Int>, [UInt32], [UInt16]) {
    let offsets = try graph.withSection("\(prefix)_offsets", as: Int64.self) { ($0[node], $0[node + 1]) }
    let range = Int(offsets.0)..<Int(offsets.1)
    let nodes = try graph.withSection("\(prefix)_nodes", as: UInt32.self) { Array($0[range]) }
    let types = try graph.withSection("\(prefix)_edge_types", as: UInt16.self) { Array($0[range]) }
    return (0..<range.count, nodes, types)
  }

  static func render(_ value: Double) -> String {
    let rounded = (value * 1e6).rounded() / 1e6
    if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
    return String(format: "%.7g", value)
  }
}
