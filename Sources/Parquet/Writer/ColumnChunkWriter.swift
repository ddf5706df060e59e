// Writes one column chunk: an optional dictionary page, then data pages (v1 or v2) of PLAIN values or
// RLE_DICTIONARY indices, with RLE/bit-packed definition levels for optional columns; compresses each page and
// builds the chunk's `ColumnMetaData`. Flat columns only: no repetition levels.
//
//   v1 data page := compress( [u32 length + definition levels] values )
//   v2 data page := definition levels (uncompressed) + compress( values )

struct ColumnChunkWriter {
  let options: ParquetWriterOptions

  /// Encodes `chunk` into bytes that will start at `fileOffset` in the file; returns them and the metadata.
  func write(_ chunk: WriterColumnChunk, fileOffset: Int) throws(ParquetError) -> (
    bytes: [UInt8], meta: ColumnChunk
  ) {
    var output: [UInt8] = []
    var sizes = (uncompressed: 0, compressed: 0)
    var stats: [PageEncodingStats] = []
    var dictionaryPageOffset: Int?
    var valueEncoding = Encoding.plain
    var dictionaryEncoded: DictionaryEncoded?
    if options.useDictionary,
      let encoded = DictionaryBuilder.encode(chunk.values, limit: options.dictionaryPageSizeLimit)
    {
      dictionaryPageOffset = fileOffset
      try writeDictionaryPage(encoded, into: &output, sizes: &sizes)
      stats.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1))
      valueEncoding = .rleDictionary
      dictionaryEncoded = encoded
    }
    let dataPageOffset = fileOffset + output.count
    let pageCount = try writeDataPages(
      chunk, dictionary: dictionaryEncoded, encoding: valueEncoding, into: &output, sizes: &sizes)
    let pageType: PageType = options.dataPageVersion == .v1 ? .dataPage : .dataPageV2
    stats.append(
      PageEncodingStats(
        pageType: pageType, encoding: valueEncoding, count: try int32(pageCount, "page count")))
    let meta = ColumnMetaData(
      type: chunk.element.type ?? .byteArray,
      encodings: dictionaryEncoded == nil ? [.plain, .rle] : [.plain, .rle, .rleDictionary],
      pathInSchema: [chunk.element.name], codec: options.codec, numValues: Int64(chunk.rowCount),
      totalUncompressedSize: Int64(sizes.uncompressed), totalCompressedSize: Int64(sizes.compressed),
      dataPageOffset: Int64(dataPageOffset), dictionaryPageOffset: dictionaryPageOffset.map(Int64.init),
      statistics: options.writeStatistics ? StatisticsBuilder.statistics(for: chunk) : nil,
      encodingStats: stats)
    return (output, ColumnChunk(fileOffset: Int64(fileOffset), metaData: meta))
  }

  private func writeDictionaryPage(
    _ encoded: DictionaryEncoded, into output: inout [UInt8],
    sizes: inout (uncompressed: Int, compressed: Int)
  ) throws(ParquetError) {
    var body: [UInt8] = []
    PlainEncoder.append(encoded.dictionary, range: 0..<encoded.dictionary.count, into: &body)
    let header = DictionaryPageHeader(
      numValues: try int32(encoded.dictionary.count, "dictionary size"), encoding: .plain)
    try appendPage(body: body, levels: [], into: &output, sizes: &sizes) { uncompressed, compressed in
      PageHeader(
        type: .dictionaryPage, uncompressedPageSize: uncompressed, compressedPageSize: compressed,
        dictionaryPageHeader: header)
    }
  }

  /// Rows per data page, so that a page's values stay near `dataPageSize` bytes.
  private func rowsPerPage(_ chunk: WriterColumnChunk, dictionary: DictionaryEncoded?) -> Int {
    let rows = max(chunk.rowCount, 1)
    let valueBytes =
      dictionary.map { ($0.indices.count * $0.bitWidth + 7) / 8 }
      ?? PlainEncoder.encodedSize(chunk.values, range: 0..<chunk.values.count)
    let bytesPerRow = max(Double(valueBytes) / Double(rows), 1.0 / 8)
    let fitting = Int(min(Double(options.dataPageSize) / bytesPerRow, Double(Int32.max)))
    return max(1, min(fitting, options.dataPageRowLimit))
  }

  private func writeDataPages(
    _ chunk: WriterColumnChunk, dictionary: DictionaryEncoded?, encoding: Encoding,
    into output: inout [UInt8],
    sizes: inout (uncompressed: Int, compressed: Int)
  ) throws(ParquetError) -> Int {
    let step = rowsPerPage(chunk, dictionary: dictionary)
    var pages = 0
    var valueStart = 0
    var rowStart = 0
    repeat {
      let rows = rowStart..<min(rowStart + step, chunk.rowCount)
      let valueCount =
        chunk.definitionLevels.map { levels in levels[rows].reduce(0) { $0 + Int($1) } } ?? rows.count
      let values = valueStart..<(valueStart + valueCount)
      try writeDataPage(
        chunk, rows: rows, values: values, dictionary: dictionary, encoding: encoding, into: &output,
        sizes: &sizes)
      pages += 1
      valueStart = values.upperBound
      rowStart = rows.upperBound
    } while rowStart < chunk.rowCount
    return pages
  }

  private func writeDataPage(
    _ chunk: WriterColumnChunk, rows: Range<Int>, values: Range<Int>, dictionary: DictionaryEncoded?,
    encoding: Encoding, into output: inout [UInt8], sizes: inout (uncompressed: Int, compressed: Int)
  ) throws(ParquetError) {
    var levels: [UInt8] = []
    if let definitionLevels = chunk.definitionLevels {
      RleHybridEncoder.encode(definitionLevels[rows].map { UInt32($0) }, bitWidth: 1, into: &levels)
    }
    var body: [UInt8] = []
    if let dictionary {
      body.append(UInt8(dictionary.bitWidth))
      dictionary.indices.withUnsafeBufferPointer { indices in
        RleHybridEncoder.encode(
          UnsafeBufferPointer(rebasing: indices[values]), bitWidth: dictionary.bitWidth, into: &body)
      }
    } else {
      PlainEncoder.append(chunk.values, range: values, into: &body)
    }
    let rowCount = try int32(rows.count, "rows in a page")
    let nullCount = try int32(rows.count - values.count, "nulls in a page")
    switch options.dataPageVersion {
    case .v1:
      var full: [UInt8] = []
      if chunk.definitionLevels != nil {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: levels.count).littleEndian) {
          full.append(contentsOf: $0)
        }
        full.append(contentsOf: levels)
      }
      full.append(contentsOf: body)
      let header = DataPageHeader(
        numValues: rowCount, encoding: encoding, definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle)
      try appendPage(body: full, levels: [], into: &output, sizes: &sizes) {
        uncompressed, compressed in
        PageHeader(
          type: .dataPage, uncompressedPageSize: uncompressed, compressedPageSize: compressed,
          dataPageHeader: header)
      }
    case .v2:
      let header = DataPageHeaderV2(
        numValues: rowCount, numNulls: nullCount, numRows: rowCount, encoding: encoding,
        definitionLevelsByteLength: try int32(levels.count, "level bytes"), repetitionLevelsByteLength: 0,
        isCompressed: options.codec != .uncompressed)
      try appendPage(body: body, levels: levels, into: &output, sizes: &sizes) {
        uncompressed, compressed in
        PageHeader(
          type: .dataPageV2, uncompressedPageSize: uncompressed, compressedPageSize: compressed,
          dataPageHeaderV2: header)
      }
    }
  }

  /// Compresses `body`, then appends the header (built from the final sizes), `levels` (stored as is) and the body.
  private func appendPage(
    body: [UInt8], levels: [UInt8], into output: inout [UInt8],
    sizes: inout (uncompressed: Int, compressed: Int), header: (Int32, Int32) -> PageHeader
  ) throws(ParquetError) {
    let compressed = try PageCompression.compress(body, codec: options.codec, level: options.compressionLevel)
    let headerBytes = thriftBytes(
      header(
        try int32(levels.count + body.count, "page size"),
        try int32(levels.count + compressed.count, "page size")))
    output.append(contentsOf: headerBytes)
    output.append(contentsOf: levels)
    output.append(contentsOf: compressed)
    sizes.uncompressed += headerBytes.count + levels.count + body.count
    sizes.compressed += headerBytes.count + levels.count + compressed.count
  }

  private func int32(_ value: Int, _ what: String) throws(ParquetError) -> Int32 {
    guard let narrow = Int32(exactly: value) else {
      throw ParquetError(.invalidArgument, "\(what) \(value) does not fit a page (Int32 limit)")
    }
    return narrow
  }
}
