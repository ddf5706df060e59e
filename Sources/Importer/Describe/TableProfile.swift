// Profiles every Parquet file of a folder: one `TableProfile` (name from the file name) per file, columns in
// file order. Nested or unreadable columns are kept as `.other` with the reason, never fatal; a file that is not
// Parquet at all is an error naming it.
import Foundation
import Parquet
import Runtime

public struct TableProfile: Sendable {
  public var name: String
  public var file: String
  public var rowCount: Int
  public var columns: [ColumnProfile]

  public func column(_ name: String) -> ColumnProfile? { columns.first { $0.name == name } }
}

public struct DescribeError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

public enum DatabaseProfiler {
  /// The `.parquet` files directly inside `directory`, sorted by name.
  public static func parquetFiles(in directory: URL) throws -> [String] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    } catch {
      throw DescribeError("\(directory.path): cannot list the folder (\(error.localizedDescription))")
    }
    return names.filter { $0.hasSuffix(".parquet") }.sorted()
  }

  public static func profile(directory: URL, threads: Int = Parallel.defaultThreads) throws -> [TableProfile]
  {
    let files = try parquetFiles(in: directory)
    guard !files.isEmpty else { throw DescribeError("\(directory.path): no .parquet files") }
    return try files.map { try profile(file: $0, directory: directory, threads: threads) }
  }

  static func profile(file: String, directory: URL, threads: Int) throws -> TableProfile {
    let path = directory.appendingPathComponent(file).path
    let parquet: ParquetFile
    do { parquet = try ParquetFile(path: path) } catch { throw DescribeError("\(path): \(error)") }
    let descriptors = parquet.columns
    let columns = try Parallel.map(descriptors.count, threads: threads) { index -> ColumnProfile in
      let descriptor = descriptors[index]
      guard let data = try? parquet.readColumn(descriptor.name) else {
        return ColumnProfile(
          name: descriptor.name, kind: .other, rowCount: parquet.rowCount, nullCount: 0, distinctCount: 0)
      }
      return ColumnProfile(data)
    }
    return TableProfile(
      name: String(file.dropLast(".parquet".count)), file: file, rowCount: parquet.rowCount, columns: columns)
  }
}
