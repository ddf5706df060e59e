// Decoding one column chunk: locate its bytes, refuse what this reader does not read (nested, encrypted,
// external files), and run the decoder specialised for the column's physical type.

extension ParquetFile {
  /// Decodes the chunk of `descriptor` in row group `rowGroup`.
  public func readChunk(_ descriptor: ColumnDescriptor, rowGroup: Int) throws(ParquetError) -> ColumnData {
    do {
      return try decodeChunk(descriptor, rowGroup: rowGroup)
    } catch {
      throw error.adding(file: path, column: descriptor.name, rowGroup: rowGroup)
    }
  }

  private func decodeChunk(_ descriptor: ColumnDescriptor, rowGroup: Int) throws(ParquetError) -> ColumnData {
    guard metadata.rowGroups.indices.contains(rowGroup) else {
      throw ParquetError(.invalidArgument, "row group \(rowGroup) out of range (file has \(rowGroupCount))")
    }
    let group = metadata.rowGroups[rowGroup]
    let chunk = group.columns[descriptor.index]
    guard !chunk.isEncrypted, !metadata.hasEncryptionAlgorithm else {
      throw ParquetError(.encrypted, "encrypted column: encrypted files are not supported")
    }
    if let reason = descriptor.unsupportedReason { throw ParquetError(.unsupported, reason) }
    guard let meta = chunk.metaData else {
      throw ParquetError(.corruptMetadata, "column chunk without metadata")
    }
    guard chunk.filePath == nil else {
      throw ParquetError(.unsupported, "column chunk stored in another file (\(chunk.filePath ?? ""))")
    }
    guard meta.type == descriptor.physicalType else {
      throw ParquetError(
        .corruptMetadata, "chunk type \(meta.type) differs from the schema's \(descriptor.physicalType)")
    }
    guard meta.numValues == group.numRows else {
      throw ParquetError(
        .corruptMetadata, "chunk has \(meta.numValues) values, the row group \(group.numRows) rows")
    }
    if meta.numValues == 0 {
      let empty = try bytes.withBytes { (_) throws(ParquetError) in
        var pages = PageIterator(chunk: UnsafeRawBufferPointer(start: nil, count: 0), chunkStart: 0)
        return try decode(descriptor, meta: meta, pages: &pages)
      }
      return empty
    }
    let range = try chunkRange(meta)
    return try bytes.withBytes { (file) throws(ParquetError) in
      var pages = PageIterator(
        chunk: UnsafeRawBufferPointer(rebasing: file[range]), chunkStart: range.lowerBound)
      return try decode(descriptor, meta: meta, pages: &pages)
    }
  }

  /// The chunk's bytes: from its first page (dictionary or data) for `total_compressed_size` bytes.
  private func chunkRange(_ meta: ColumnMetaData) throws(ParquetError) -> Range<Int> {
    // Some writers record 0 for the offset they did not use (dictionary or even data page): take the first
    // offset that can be a page.
    let candidates = [meta.dataPageOffset, meta.dictionaryPageOffset ?? 0].filter { $0 >= 4 }
    let start = candidates.min() ?? meta.dataPageOffset
    let length = meta.totalCompressedSize
    guard start >= 4, length >= 0, start < Int64(footerStart), length <= Int64(footerStart) - start else {
      throw ParquetError(
        .corruptMetadata,
        "column chunk at \(start) of \(length) bytes lies outside the data (ends at \(footerStart))")
    }
    return Int(start)..<Int(start + length)
  }

  private func decode(_ descriptor: ColumnDescriptor, meta: ColumnMetaData, pages: inout PageIterator)
    throws(ParquetError) -> ColumnData
  {
    let count = Int(meta.numValues)
    switch descriptor.physicalType {
    case .boolean: return try run(BooleanKind.self, descriptor, meta.codec, count, &pages)
    case .int32: return try run(Int32Kind.self, descriptor, meta.codec, count, &pages)
    case .int64: return try run(Int64Kind.self, descriptor, meta.codec, count, &pages)
    case .int96: return try run(Int96Kind.self, descriptor, meta.codec, count, &pages)
    case .float: return try run(FloatKind.self, descriptor, meta.codec, count, &pages)
    case .double: return try run(DoubleKind.self, descriptor, meta.codec, count, &pages)
    case .byteArray: return try run(ByteArrayKind.self, descriptor, meta.codec, count, &pages)
    case .fixedLenByteArray: return try run(FixedLenByteArrayKind.self, descriptor, meta.codec, count, &pages)
    }
  }

  private func run<Kind: PhysicalKind>(
    _: Kind.Type, _ descriptor: ColumnDescriptor, _ codec: CompressionCodec, _ count: Int,
    _ pages: inout PageIterator
  ) throws(ParquetError) -> ColumnData {
    var decoder = ColumnChunkDecoder<Kind>(descriptor: descriptor, codec: codec, expectedValues: count)
    let (buffer, validity) = try decoder.decode(&pages)
    return ColumnData(descriptor: descriptor, values: Kind.values(buffer), validity: validity)
  }
}
