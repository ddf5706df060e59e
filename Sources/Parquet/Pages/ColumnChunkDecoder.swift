// Decodes one flat column chunk: dictionary page, data pages v1 and v2 (levels, decompression, values),
// into a typed buffer plus validity flags. Generic over the physical kind, so value loops are specialised:
// the only dynamic dispatch is one decoder per page.
// Refuses nested columns (callers check first), pages whose counts disagree with the chunk's metadata,
// a second dictionary page and dictionary-encoded pages without a dictionary.

struct ColumnChunkDecoder<Kind: PhysicalKind> {
  let descriptor: ColumnDescriptor
  let codec: CompressionCodec
  let expectedValues: Int
  var buffer: Kind.Buffer
  var flags: [UInt8] = []
  var validity = Bitmap()
  var hasNulls = false
  private var dictionary: Kind.Buffer?
  private var decompressed: [UInt8] = []
  private var levels: [UInt32] = []
  private var valuesRead = 0

  init(descriptor: ColumnDescriptor, codec: CompressionCodec, expectedValues: Int) {
    self.descriptor = descriptor
    self.codec = codec
    self.expectedValues = expectedValues
    buffer = Kind.emptyBuffer(descriptor)
    // The count comes from the footer: reserve at most 64 Mi values up front, so a forged count cannot
    // allocate the machine away before the pages disagree with it.
    buffer.reserve(min(expectedValues, 1 << 26))
  }

  /// Reads every page of the chunk; returns the values and validity (nil if no nulls).
  mutating func decode(_ pages: inout PageIterator) throws(ParquetError) -> (Kind.Buffer, Bitmap?) {
    while valuesRead < expectedValues, let page = try pages.next() {
      do {
        try decode(page)
      } catch {
        throw error.adding(page: page.index, offset: page.offset)
      }
    }
    guard valuesRead == expectedValues else {
      throw ParquetError(
        .corruptPage, "column chunk holds \(valuesRead) values, its metadata says \(expectedValues)")
    }
    guard buffer.count == expectedValues else {
      throw ParquetError(.corruptPage, "decoded \(buffer.count) values, expected \(expectedValues)")
    }
    return (buffer, hasNulls ? validity : nil)
  }

  private mutating func decode(_ page: RawPage) throws(ParquetError) {
    switch page.header.type {
    case .dictionaryPage: try readDictionary(page)
    case .dataPage: try readDataPageV1(page)
    case .dataPageV2: try readDataPageV2(page)
    case .indexPage: return
    }
  }

  private mutating func readDictionary(_ page: RawPage) throws(ParquetError) {
    guard let header = page.header.dictionaryPageHeader else {
      throw ParquetError(.corruptMetadata, "dictionary page without its header")
    }
    guard dictionary == nil else { throw ParquetError(.corruptPage, "a second dictionary page in one chunk") }
    guard header.encoding == .plain || header.encoding == .plainDictionary else {
      throw ParquetError(.unsupported, "dictionary page encoding \(header.encoding)")
    }
    guard header.numValues >= 0 else {
      throw ParquetError(.corruptPage, "dictionary of \(header.numValues) values")
    }
    let count = Int(header.numValues)
    var values = Kind.emptyBuffer(descriptor)
    var scratch = decompressed
    decompressed = []  // take ownership: no copy-on-write copy when it is written
    defer { decompressed = scratch }
    try Self.withBody(page, codec: codec, skip: 0, compressed: true, scratch: &scratch) {
      (body) throws(ParquetError) in
      try Kind.decode(.plain, body, descriptor, count: count, into: &values)
    }
    dictionary = values
  }

  private mutating func readDataPageV1(_ page: RawPage) throws(ParquetError) {
    guard let header = page.header.dataPageHeader else {
      throw ParquetError(.corruptMetadata, "data page without its header")
    }
    let count = try pageValueCount(header.numValues)
    let maxDef = descriptor.maxDefinitionLevel
    var flags = self.flags
    var levels = self.levels
    self.flags = []
    self.levels = []
    var scratch = decompressed
    decompressed = []  // take ownership: no copy-on-write copy when it is written
    defer { decompressed = scratch }
    try Self.withBody(page, codec: codec, skip: 0, compressed: true, scratch: &scratch) {
      (body) throws(ParquetError) in
      var valuesStart = 0
      if maxDef > 0 {
        valuesStart = try DefinitionLevels.decodeV1(
          body, encoding: header.definitionLevelEncoding, maxLevel: maxDef, count: count, levels: &levels,
          flags: &flags)
      }
      try decodeValues(
        UnsafeRawBufferPointer(rebasing: body[valuesStart...]), encoding: header.encoding, count: count,
        flags: maxDef > 0 ? flags : nil)
    }
    self.flags = flags
    self.levels = levels
  }

  private mutating func readDataPageV2(_ page: RawPage) throws(ParquetError) {
    guard let header = page.header.dataPageHeaderV2 else {
      throw ParquetError(.corruptMetadata, "data page v2 without its header")
    }
    let count = try pageValueCount(header.numValues)
    let repLength = Int(header.repetitionLevelsByteLength)
    let defLength = Int(header.definitionLevelsByteLength)
    guard repLength >= 0, defLength >= 0, repLength + defLength <= page.body.count else {
      throw ParquetError(
        .corruptPage,
        "v2 level lengths \(repLength) + \(defLength) exceed the page's \(page.body.count) bytes")
    }
    let maxDef = descriptor.maxDefinitionLevel
    var flags = self.flags
    self.flags = []
    if maxDef > 0 {
      let levelBytes = UnsafeRawBufferPointer(rebasing: page.body[repLength..<repLength + defLength])
      try DefinitionLevels.decodeHybrid(
        levelBytes, maxLevel: maxDef, count: count, levels: &levels, flags: &flags)
    }
    var scratch = decompressed
    decompressed = []  // take ownership: no copy-on-write copy when it is written
    defer { decompressed = scratch }
    try Self.withBody(
      page, codec: codec, skip: repLength + defLength, compressed: header.isCompressed, scratch: &scratch
    ) {
      (body) throws(ParquetError) in
      try decodeValues(body, encoding: header.encoding, count: count, flags: maxDef > 0 ? flags : nil)
    }
    self.flags = flags
  }

  private func pageValueCount(_ numValues: Int32) throws(ParquetError) -> Int {
    guard numValues >= 0, Int(numValues) <= expectedValues - valuesRead else {
      throw ParquetError(
        .corruptPage, "page claims \(numValues) values, the chunk has \(expectedValues - valuesRead) left")
    }
    return Int(numValues)
  }

  /// Decodes `count` slots of values; `flags` (nil: all present) says which slots hold a value.
  private mutating func decodeValues(
    _ data: UnsafeRawBufferPointer, encoding: Encoding, count: Int, flags: [UInt8]?
  ) throws(ParquetError) {
    var nonNull = count
    if let flags { nonNull = flags.withUnsafeBufferPointer { countSet($0) } }
    switch encoding {
    case .plainDictionary, .rleDictionary:
      guard let dictionary else {
        throw ParquetError(.corruptPage, "dictionary-encoded page without a dictionary")
      }
      var decoder = try DictionaryDecoder(data, dictionary: dictionary)
      try decoder.decode(nonNull, into: &buffer)
    default:
      try Kind.decode(encoding, data, descriptor, count: nonNull, into: &buffer)
    }
    if let flags, nonNull < count {
      flags.withUnsafeBufferPointer { buffer.spread(nonNull: nonNull, flags: $0) }
      if !hasNulls {
        validity.append(repeating: true, count: valuesRead)
        hasNulls = true
      }
    }
    if hasNulls {
      if let flags {
        flags.withUnsafeBufferPointer { validity.append(flags: $0) }
      } else {
        validity.append(repeating: true, count: count)
      }
    }
    valuesRead += count
  }

  /// Lends `body` the page's values region, decompressed when needed; `skip` bytes (v2 levels) stay raw.
  private static func withBody(
    _ page: RawPage, codec: CompressionCodec, skip: Int, compressed: Bool, scratch: inout [UInt8],
    _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> Void
  ) throws(ParquetError) {
    let stored = UnsafeRawBufferPointer(rebasing: page.body[skip...])
    let size = Int(page.header.uncompressedPageSize) - skip
    guard size >= 0 else {
      throw ParquetError(
        .corruptPage, "uncompressed size \(page.header.uncompressedPageSize) below levels \(skip)")
    }
    // An empty values region (e.g. an all-null v2 page) is never handed to the codec: zero bytes are not a
    // valid stream for some codecs (snappy), and there is nothing to decompress.
    if size == 0 && (stored.isEmpty || !compressed || codec == .uncompressed) {
      try body(UnsafeRawBufferPointer(start: nil, count: 0))
      return
    }
    if codec == .uncompressed || !compressed {
      guard stored.count == size || codec == .uncompressed && stored.count >= size else {
        throw ParquetError(.corruptPage, "uncompressed page of \(stored.count) bytes declares \(size)")
      }
      try body(UnsafeRawBufferPointer(rebasing: stored[..<size]))
      return
    }
    if scratch.count < size { scratch = [UInt8](repeating: 0, count: size) }
    try scratch.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in
      let target = UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: out[..<size]))
      try PageDecompressor.decompress(codec, stored, into: target)
      try body(UnsafeRawBufferPointer(target))
    }
  }
}

/// Number of non-zero flags.
@inline(__always)
func countSet(_ flags: UnsafeBufferPointer<UInt8>) -> Int {
  var total = 0
  for i in 0..<flags.count { total &+= Int(flags[i] & 1) }
  return total
}
