// `tributary parquet ...`: look inside Parquet files.
import ArgumentParser
import Parquet

struct ParquetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parquet",
    abstract: "Inspect Parquet files: schema, metadata and rows.",
    subcommands: [ParquetSchemaCommand.self, ParquetCatCommand.self])
}
