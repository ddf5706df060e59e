// The bidirectional CSR graph of rows over foreign keys. Nodes are rows, numbered globally table after table
// (`tableOffsets`); an edge goes from a child row (holding the foreign key) to its parent row. Parents and children
// of every node are stored as CSR lists; each child list is sorted by the children's time (static rows first) so
// the sampler can cut off "children not yet known at the seed's time" with a binary search.
import Store

/// Compressed sparse rows: the neighbours of node n are `nodes[offsets[n]..<offsets[n + 1]]`.
public struct CSRAdjacency: Sendable, Equatable {
  public var offsets: [Int64]
  public var nodes: [UInt32]
  public var edgeTypes: [UInt16]

  public func neighbours(of node: Int) -> Range<Int> { Int(offsets[node])..<Int(offsets[node + 1]) }
}

public struct RowGraph: Sendable {
  public var tableOffsets: [Int64]
  /// µs since the epoch per node; `RowGraph.staticTime` for rows of tables without a time column.
  public var nodeTime: [Int64]
  public var parents: CSRAdjacency
  public var children: CSRAdjacency
  public var edgeTypes: [EdgeType]

  public static let staticTime = Int64.min
  public var nodeCount: Int { nodeTime.count }
  public var edgeCount: Int { parents.nodes.count }
}

/// Collects (child, parent) edges per edge type, then builds both CSR directions.
struct RowGraphBuilder {
  private(set) var tableOffsets: [Int64]
  private var nodeTime: [Int64]
  private var childNodes: [UInt32] = []
  private var parentNodes: [UInt32] = []
  private var types: [UInt16] = []

  init(tableRowCounts: [Int], nodeTime: [Int64]) {
    var offsets: [Int64] = [0]
    for count in tableRowCounts { offsets.append(offsets[offsets.count - 1] + Int64(count)) }
    tableOffsets = offsets
    self.nodeTime = nodeTime
  }

  func node(table: Int, row: Int) -> UInt32 { UInt32(truncatingIfNeeded: tableOffsets[table] + Int64(row)) }

  mutating func addEdge(child: UInt32, parent: UInt32, type: Int) {
    childNodes.append(child)
    parentNodes.append(parent)
    types.append(UInt16(truncatingIfNeeded: type))
  }

  /// Adds one edge per child row with a parent row (`GraphAssembly.resolve`), in row order; returns the counts of
  /// edges, null keys and dangling keys.
  mutating func addEdges(childTable: Int, parentTable: Int, parentRows: [Int32], type: Int)
    -> (edges: Int, nullKeys: Int, dangling: Int)
  {
    let (childBase, parentBase) = (tableOffsets[childTable], tableOffsets[parentTable])
    var (edges, nullKeys, dangling) = (0, 0, 0)
    childNodes.reserveCapacity(childNodes.count + parentRows.count)
    parentNodes.reserveCapacity(parentNodes.count + parentRows.count)
    parentRows.withUnsafeBufferPointer { parentRows in
      for (row, parentRow) in parentRows.enumerated() {
        guard parentRow >= 0 else {
          if parentRow == GraphAssembly.nullKey { nullKeys += 1 } else { dangling += 1 }
          continue
        }
        childNodes.append(UInt32(truncatingIfNeeded: childBase + Int64(row)))
        parentNodes.append(UInt32(truncatingIfNeeded: parentBase + Int64(parentRow)))
        edges += 1
      }
    }
    types += repeatElement(UInt16(truncatingIfNeeded: type), count: edges)
    return (edges, nullKeys, dangling)
  }

  func build(edgeTypes: [EdgeType], threads: Int = 1) -> RowGraph {
    let n = nodeTime.count
    let parents = Self.csr(from: childNodes, to: parentNodes, types: types, nodeCount: n)
    var children = Self.csr(from: parentNodes, to: childNodes, types: types, nodeCount: n)
    ChildOrder.sortEachList(&children, order: nodeTime, threads: threads)
    return RowGraph(
      tableOffsets: tableOffsets, nodeTime: nodeTime, parents: parents, children: children,
      edgeTypes: edgeTypes)
  }

  /// Counting sort of edges by source (edges of a source keep their order).
  private static func csr(from sources: [UInt32], to targets: [UInt32], types: [UInt16], nodeCount: Int)
    -> CSRAdjacency
  {
    var offsets = [Int64](repeating: 0, count: nodeCount + 1)
    var nodes = [UInt32](repeating: 0, count: sources.count)
    var edgeTypes = [UInt16](repeating: 0, count: sources.count)
    sources.withUnsafeBufferPointer { sources in
      offsets.withUnsafeMutableBufferPointer { offsets in
        for source in sources { offsets[Int(source) + 1] += 1 }
        for index in 0..<nodeCount { offsets[index + 1] += offsets[index] }
      }
      var cursor = offsets
      cursor.withUnsafeMutableBufferPointer { cursor in
        targets.withUnsafeBufferPointer { targets in
          types.withUnsafeBufferPointer { types in
            nodes.withUnsafeMutableBufferPointer { nodes in
              edgeTypes.withUnsafeMutableBufferPointer { edgeTypes in
                for edge in sources.indices {
                  let slot = Int(cursor[Int(sources[edge])])
                  cursor[Int(sources[edge])] += 1
                  nodes[slot] = targets[edge]
                  edgeTypes[slot] = types[edge]
                }
              }
            }
          }
        }
      }
    }
    return CSRAdjacency(offsets: offsets, nodes: nodes, edgeTypes: edgeTypes)
  }
}
