// libFuzzer entry point for the Parquet reader: each input is a whole file, opened from memory; every readable
// column of every row group is decoded and rendered. Any crash, trap or sanitizer report is a bug: bad input
// must only ever produce a `ParquetError`. Build and run: see docs/parquet.md ("Fuzzing").
import CParquetFuzzMain
import Parquet

@_cdecl("LLVMFuzzerTestOneInput")
public func parquetFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let file = try? ParquetFile(bytes: bytes, name: "fuzz") else { return 0 }
  for column in file.columns where column.unsupportedReason == nil {
    for group in 0..<min(file.rowGroupCount, 8) {
      guard let chunk = try? file.readChunk(column, rowGroup: group) else { continue }
      let renderer = CanonicalRenderer(chunk)
      for row in 0..<min(chunk.count, 64) { _ = renderer.render(row) }
      _ = chunk.epochMicroseconds()
    }
  }
  return 0
}
