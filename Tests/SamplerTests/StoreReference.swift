// An independent reading of a processed database for checking batches: plain copies of the graph and of every
// token column, read through Store's ContainerReader (not through the sampler's views), with the rules of
// issue 5 written out directly.
import DatabaseSpec
import Foundation
import Store

struct StoreReference {
  struct Column {
    var table: Int
    var index: Int
    var spec: ProcessedColumn
    var valid: [UInt8]
    var number: [Float]
    var time: [Float]
    var micros: [Int64]
    var boolean: [UInt8]
    var vocabulary: [Int32]
  }

  let db: ProcessedDatabase
  let nodeTime: [Int64]
  let parentOffsets: [Int64]
  let parentNodes: [UInt32]
  let parentEdgeTypes: [UInt16]
  let childOffsets: [Int64]
  let childNodes: [UInt32]
  /// By global column id.
  let columns: [Int: Column]

  init(_ db: ProcessedDatabase) throws {
    self.db = db
    nodeTime = try db.graph.array("node_time", as: Int64.self)
    parentOffsets = try db.graph.array("parent_offsets", as: Int64.self)
    parentNodes = try db.graph.array("parent_nodes", as: UInt32.self)
    parentEdgeTypes = try db.graph.array("parent_edge_types", as: UInt16.self)
    childOffsets = try db.graph.array("child_offsets", as: Int64.self)
    childNodes = try db.graph.array("child_nodes", as: UInt32.self)
    var columns: [Int: Column] = [:]
    for (t, table) in db.metadata.tables.enumerated() {
      let file = db.tables[t]
      for (k, spec) in table.columns.enumerated() where spec.type != .identifier {
        let s = spec.section
        func load<T: SectionElement>(_ suffix: String, _ type: T.Type) throws -> [T] {
          file.sections["\(s).\(suffix)"] == nil ? [] : try file.array("\(s).\(suffix)", as: type)
        }
        columns[spec.globalId] = Column(
          table: t, index: k, spec: spec,
          valid: try file.withSectionBytes("\(s).valid") { Array($0) }, number: try load("num", Float.self),
          time: try load("time", Float.self), micros: try load("micros", Int64.self),
          boolean: try load("bool", UInt8.self), vocabulary: try load("vocab", Int32.self))
      }
    }
    self.columns = columns
  }

  func table(ofNode node: Int) -> Int {
    db.metadata.tables.lastIndex { Int($0.nodeOffset) <= node } ?? 0
  }

  func parents(of node: Int) -> [Int] {
    (Int(parentOffsets[node])..<Int(parentOffsets[node + 1])).map { Int(parentNodes[$0]) }
  }

  /// Each parent edge of `node` with the foreign key columns it follows.
  func parentEdges(of node: Int) -> [(parent: Int, columns: [String])] {
    (Int(parentOffsets[node])..<Int(parentOffsets[node + 1])).map { edge in
      (Int(parentNodes[edge]), db.metadata.graph.edgeTypes[Int(parentEdgeTypes[edge])].foreignKeyColumns)
    }
  }

  func children(of node: Int) -> [Int] {
    (Int(childOffsets[node])..<Int(childOffsets[node + 1])).map { Int(childNodes[$0]) }
  }

  func isValid(_ column: Column, row: Int) -> Bool { column.valid[row / 8] & (1 << UInt8(row % 8)) != 0 }
}

/// A task read straight from its file.
struct TaskReference {
  let task: ProcessedTask
  let seedTable: Int
  let seedRow: [Int32]
  let seedTime: [Int64]
  let label: [Float]
  let labelVocabulary: [Int32]
  let split: [UInt8]

  init(_ db: ProcessedDatabase, name: String) throws {
    let (task, file) = try db.task(named: name)
    self.task = task
    seedTable = db.metadata.tables.firstIndex { $0.name == task.seedTable } ?? -1
    seedRow = try file.array("seed_row", as: Int32.self)
    seedTime = try file.array("seed_time", as: Int64.self)
    label = try file.array("label", as: Float.self)
    labelVocabulary = file.sections["label_vocab"] == nil ? [] : try file.array("label_vocab", as: Int32.self)
    split = try file.array("split", as: UInt8.self)
  }

  var isEntity: Bool { task.form == "entity" }
  var horizonMicros: Int64 { Int64((task.horizonDays ?? 0) * 86_400_000_000) }
}
