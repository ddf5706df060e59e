// `tributary import SOURCE --out DB_DIR`: a PostgreSQL database, CSV folder, SQLite file or Parquet folder into a
// Tributary database (Parquet files + proposed metadata.json), then the describe review table to check the proposal.
import ArgumentParser
import Foundation
import Importer
import Logging
import Runtime

struct ImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract:
      "Import a database (postgres:// URL, CSV folder, SQLite file, Parquet folder) and propose its metadata.json."
  )

  @Argument(
    help:
      "postgres://user[:password]@host[:port]/db (or PGPASSWORD), a folder of CSV files (header row), a SQLite file, or a folder of Parquet files."
  )
  var source: String

  @Option(name: .long, help: "Output folder (must not exist or be empty).")
  var out: String

  @Option(name: .long, help: "Rows per chunk (and Parquet row group).")
  var chunkRows: Int = 65_536

  @Option(name: .long, help: "PostgreSQL sources: the schema to import.")
  var schema: String = "public"

  @Option(name: .long, help: "CSV field delimiter (one ASCII character).")
  var delimiter: String = ","

  @Option(name: .long, help: "Threads that convert the columns of a chunk (default: every core).")
  var threads: Int = Parallel.defaultThreads

  func validate() throws {
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    guard chunkRows >= 1 else { throw ValidationError("--chunk-rows must be at least 1") }
    guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte < 128 else {
      throw ValidationError("--delimiter must be one ASCII character")
    }
  }

  func run() async throws {
    var options = CSVImportOptions()
    options.chunkRows = chunkRows
    options.threads = threads
    options.postgresSchema = schema
    options.delimiter = delimiter.utf8.first ?? UInt8(ascii: ",")
    let importer = DatabaseImporter(
      source: try ImportSource.detect(source), output: URL(fileURLWithPath: out), options: options,
      logger: Logger(label: "tributary.import"))
    let summary = try await importer.run()
    print(summary.proposal.reviewTable())
    print(
      "\(summary.tables.count) tables, \(ProgressReporter.count(summary.rows)) rows in "
        + "\(ProgressReporter.duration(summary.seconds)) -> \(out) (review metadata.json, then `tributary validate`)"
    )
  }
}
