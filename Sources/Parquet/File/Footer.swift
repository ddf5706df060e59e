// The file's frame: `PAR1` at both ends, and before the trailing magic the footer's length (4 bytes LE).
//   file := "PAR1" <column chunks> <FileMetaData (thrift compact)> <footer length: u32 LE> "PAR1"
// Encrypted footers ("PARE") are refused with `.encrypted`.

enum Footer {
  static let magic: [UInt8] = Array("PAR1".utf8)
  static let encryptedMagic: [UInt8] = Array("PARE".utf8)

  /// Checks the frame and decodes the footer; returns the metadata and where the footer starts.
  static func read(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> (FileMetaData, footerStart: Int) {
    guard bytes.count >= 12 else {
      throw ParquetError(.notParquet, "file of \(bytes.count) bytes is too small to be Parquet (needs 12)")
    }
    let tail = Array(bytes[(bytes.count - 4)...])
    if tail == encryptedMagic {
      throw ParquetError(.encrypted, "encrypted footer (PARE magic): encrypted files are not supported")
    }
    guard tail == magic else {
      throw ParquetError(.notParquet, "missing PAR1 magic at the end (found \(tail))")
    }
    let head = Array(bytes[0..<4])
    guard head == magic else {
      throw ParquetError(.notParquet, "missing PAR1 magic at the start (found \(head))")
    }
    let length = Int(
      UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt32.self)))
    let start = bytes.count - 8 - length
    guard start >= 4 else {
      throw ParquetError(
        .notParquet, "footer length \(length) does not fit a file of \(bytes.count) bytes",
        offset: bytes.count - 8)
    }
    let footer = UnsafeRawBufferPointer(rebasing: bytes[start..<(bytes.count - 8)])
    do {
      return (try FileMetaData.decode(footer), start)
    } catch {
      throw error.adding(offset: start)
    }
  }
}
