// Encodes each cell into one input feature row that a single linear layer turns into the cell's token:
// [column-name embedding | number | 15 timestamp features | boolean | vocabulary embedding | type one-hot |
//  masked-type one-hot]. Only the slots of the cell's own type are non-zero, so one linear map is exactly a
// per-type value encoder plus the column-name projection, a learned vector per type, and a learned mask vector
// per type for masked cells (whose value slots the sampler leaves at zero).
// Refuses: vocabulary ids outside the vocabulary table.

public enum CellFeatures {
  public static let typeCount = 6

  public static func width(embedding e: Int) -> Int { 2 * e + 17 + 2 * typeCount }

  /// The [B*L, width] feature rows of `fields`.
  public static func encode(_ fields: CellFields, embeddings: ModelEmbeddings) throws -> [Float] {
    let e = embeddings.width
    let f = width(embedding: e)
    let n = fields.cellCount
    var out = [Float](repeating: 0, count: n * f)
    try out.withUnsafeMutableBufferPointer { o in
      guard let base = o.baseAddress else { return }
      for i in 0..<n {
        let type = Int(fields.type[i])
        guard type > 0, type < typeCount else { continue }
        let rowStart = base + i * f
        try embeddings.columns.copyRow(Int(fields.column[i]), into: rowStart, zeroIfMissing: true)
        let masked = fields.masked[i] != 0
        if !masked {
          rowStart[e] = fields.number[i]
          for k in 0..<CellFields.timestampWidth {
            rowStart[e + 1 + k] = fields.timestamp[i * CellFields.timestampWidth + k]
          }
          rowStart[e + 16] = fields.boolean[i]
          let id = Int(fields.vocabulary[i])
          if id >= 0 { try embeddings.vocabulary.copyRow(id, into: rowStart + e + 17, zeroIfMissing: false) }
        }
        rowStart[2 * e + 17 + type] = 1
        if masked { rowStart[2 * e + 17 + typeCount + type] = 1 }
      }
    }
    return out
  }
}
