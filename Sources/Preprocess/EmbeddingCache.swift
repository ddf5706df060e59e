// An on-disk cache of text embeddings keyed by (embedder, text), so re-running preprocessing embeds nothing new.
// One append-only file per embedder and dimension: records of [u32 text length][text bytes][dimension x f16].
// Several processes may append at once (O_APPEND, one write per record); a record cut short by a crash is ignored
// when the file is read back.
import FileSupport
import Foundation

public final class EmbeddingCache {
  public let path: String
  public let dimension: Int
  private var vectors: [String: [Float16]] = [:]
  private var handle: FileHandle?
  /// Bytes of whole records; a torn tail past it is cut off before the next append.
  private var validLength: UInt64 = 0

  /// Opens (or creates) the cache of `embedderName` under `directory`.
  public init(directory: URL, embedderName: String, dimension: Int) throws {
    let safeName = embedderName.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
    let url = directory.appendingPathComponent("\(String(safeName))-\(dimension).embcache")
    path = url.path
    self.dimension = dimension
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    if FileManager.default.fileExists(atPath: path) { try load() }
  }

  public var count: Int { vectors.count }

  public func vector(for text: String) -> [Float16]? { vectors[text] }

  public func store(_ text: String, _ vector: [Float16]) throws {
    guard vector.count == dimension else {
      throw FileError(path: path, message: "vector of \(vector.count) values for dimension \(dimension)")
    }
    guard vectors.updateValue(vector, forKey: text) == nil else { return }
    var record = [UInt8]()
    let textBytes = Array(text.utf8)
    record.reserveCapacity(4 + textBytes.count + 2 * dimension)
    withUnsafeBytes(of: UInt32(textBytes.count).littleEndian) { record.append(contentsOf: $0) }
    record.append(contentsOf: textBytes)
    vector.withUnsafeBytes { record.append(contentsOf: $0) }
    try appendHandle().write(contentsOf: record)
  }

  private func appendHandle() throws -> FileHandle {
    if let handle { return handle }
    if !FileManager.default.fileExists(atPath: path) {
      FileManager.default.createFile(atPath: path, contents: nil)
    }
    guard let opened = FileHandle(forWritingAtPath: path) else {
      throw FileError(path: path, message: "cannot open the embedding cache for appending")
    }
    try opened.truncate(atOffset: validLength)
    try opened.seekToEnd()
    handle = opened
    return opened
  }

  private func load() throws {
    let file = try MemoryMappedFile(path: path)
    file.withBytes { bytes in
      var offset = 0
      let vectorBytes = 2 * dimension
      while bytes.count - offset >= 4 {
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        guard length <= bytes.count - offset - 4 - vectorBytes else { break }
        let textStart = offset + 4
        let text = String(decoding: bytes[textStart..<textStart + length], as: UTF8.self)
        var vector = [Float16](repeating: 0, count: dimension)
        vector.withUnsafeMutableBytes {
          $0.copyMemory(
            from: UnsafeRawBufferPointer(
              rebasing: bytes[textStart + length..<textStart + length + vectorBytes]))
        }
        vectors[text] = vector
        offset = textStart + length + vectorBytes
      }
      validLength = UInt64(offset)
    }
  }

  deinit { try? handle?.close() }
}
