// The four attention masks of a batch, built once from the sampler's relations and shared by every block:
// column (cells of the same column id), feature (cells of the query's own row and of its parent rows),
// neighbour (cells of the rows whose parents include the query's row: its children), full (every cell of the
// context). Padding cells see nothing and are seen by nothing. Bits are written directly in the engine's packed
// form [B, 1, L, ceil(L/32)] (no L x L boolean matrix), from per-row cell lists: O(L * P + set bits).
// Refuses: row slots or parents outside the context (they are ignored, never trusted as indices).
import Tensor

public enum RelationKind: Int, CaseIterable, Sendable {
  case column, feature, neighbour, full
}

public enum RelationMasks {
  /// Packed keep bits per kind, [B * L * words] each.
  public static func bits(_ fields: CellFields) -> [[UInt32]] {
    let (b, l, p) = (fields.batchSize, fields.contextLength, fields.maxParents)
    let words = (l + 31) / 32
    var masks = [[UInt32]](repeating: [UInt32](repeating: 0, count: b * l * words), count: 4)
    for context in 0..<b {
      let base = context * l
      var rowCells = [[Int]](repeating: [], count: l)
      var columnCells: [Int32: [Int]] = [:]
      var cells: [Int] = []
      for i in 0..<l where fields.type[base + i] != 0 {
        let row = Int(fields.row[base + i])
        guard row >= 0, row < l else { continue }
        rowCells[row].append(i)
        columnCells[fields.column[base + i], default: []].append(i)
        cells.append(i)
      }
      var children = [[Int]](repeating: [], count: l)
      for row in 0..<l where !rowCells[row].isEmpty {
        for k in 0..<p {
          let parent = Int(fields.rowParents[(base + row) * p + k])
          if parent >= 0, parent < l, parent != row { children[parent].append(row) }
        }
      }
      for i in cells {
        let row = Int(fields.row[base + i])
        let offset = (base + i) * words
        func set(_ kind: RelationKind, _ keys: [Int]) {
          for j in keys { masks[kind.rawValue][offset + j / 32] |= 1 << UInt32(j % 32) }
        }
        set(.full, cells)
        set(.column, columnCells[fields.column[base + i]] ?? [])
        set(.feature, rowCells[row])
        for k in 0..<p {
          let parent = Int(fields.rowParents[(base + row) * p + k])
          if parent >= 0, parent < l, parent != row { set(.feature, rowCells[parent]) }
        }
        for child in children[row] { set(.neighbour, rowCells[child]) }
      }
    }
    return masks
  }

  /// The masks as engine tensors, in `RelationKind` order.
  public static func tensors(_ fields: CellFields, on backend: some Backend) throws -> [AttentionMask] {
    let words = (fields.contextLength + 31) / 32
    return try bits(fields).map {
      .packedKeep(
        try backend.tensor(
          ids: $0.map { Int32(bitPattern: $0) }, shape: [fields.batchSize, 1, fields.contextLength, words]))
    }
  }
}
