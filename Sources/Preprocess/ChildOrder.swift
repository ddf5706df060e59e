// Sorts each node's children by (time, node), so the children known at a time are a prefix of the list. Lists are
// independent: the workers take contiguous runs of nodes holding about equal numbers of edges (child lists sit on
// the parent tables only, so equal node counts would leave a worker idle). The sort is stable — edges with the
// same (time, node) keep their order — so the result is the same for any number of threads.
import Runtime

enum ChildOrder {
  /// Lists up to this long are insertion-sorted in place (no allocation); longer ones go through a stable sort.
  static let insertionLimit = 32

  static func sortEachList(_ adjacency: inout CSRAdjacency, order: [Int64], threads: Int) {
    let nodeCount = adjacency.offsets.count - 1
    let edgeCount = adjacency.nodes.count
    let workers = max(1, min(threads, edgeCount / 65_536))
    adjacency.offsets.withUnsafeBufferPointer { offsets in
      order.withUnsafeBufferPointer { order in
        adjacency.nodes.withUnsafeMutableBufferPointer { nodes in
          adjacency.edgeTypes.withUnsafeMutableBufferPointer { types in
            let bounds = (0...workers).map { firstNode(withEdgeAtLeast: edgeCount * $0 / workers, offsets) }
            Parallel.forEach(workers, threads: workers) { worker in
              for source in bounds[worker]..<max(bounds[worker], bounds[worker + 1]) where source < nodeCount
              {
                sortList(Int(offsets[source])..<Int(offsets[source + 1]), nodes, types, order)
              }
            }
          }
        }
      }
    }
  }

  /// The first node whose list starts at or after edge `edge` (binary search in the offsets).
  private static func firstNode(withEdgeAtLeast edge: Int, _ offsets: UnsafeBufferPointer<Int64>) -> Int {
    var (low, high) = (0, offsets.count - 1)
    while low < high {
      let middle = (low + high) / 2
      if offsets[middle] < Int64(edge) { low = middle + 1 } else { high = middle }
    }
    return low
  }

  private static func sortList(
    _ range: Range<Int>, _ nodes: UnsafeMutableBufferPointer<UInt32>,
    _ types: UnsafeMutableBufferPointer<UInt16>,
    _ order: UnsafeBufferPointer<Int64>
  ) {
    guard range.count > 1 else { return }
    guard range.count <= insertionLimit else {
      var pairs = range.map { (nodes[$0], types[$0]) }
      pairs.sort { (order[Int($0.0)], $0.0) < (order[Int($1.0)], $1.0) }
      for (offset, pair) in zip(range, pairs) { (nodes[offset], types[offset]) = pair }
      return
    }
    for i in (range.lowerBound + 1)..<range.upperBound {
      let (node, type) = (nodes[i], types[i])
      let key = (order[Int(node)], node)
      var j = i
      while j > range.lowerBound, (order[Int(nodes[j - 1])], nodes[j - 1]) > key {
        (nodes[j], types[j]) = (nodes[j - 1], types[j - 1])
        j -= 1
      }
      (nodes[j], types[j]) = (node, type)
    }
  }
}
