// A PostgreSQL schema into Parquet files: the catalog gives tables, column types, primary keys and foreign keys
// (composite included); each table's rows stream through `COPY (SELECT ...) TO STDOUT (FORMAT csv)` into a
// temporary file in the staging folder and then through the CSV importer with the declared types (no inference),
// so memory stays bounded by one chunk. Types: smallint/integer/bigint -> INT64, real/double -> DOUBLE,
// numeric -> DOUBLE (decimals lose exactness past 15-17 digits), boolean, date, timestamp (naive) and timestamptz
// (UTC) -> TIMESTAMP(µs); everything else (text, varchar, uuid, json, arrays, ...) -> STRING as PostgreSQL prints it.
// Refuses nothing a schema can hold; infinite dates/timestamps and BC dates fail the import with the row named.
import DatabaseSpec
import Foundation
import Logging

enum PostgresImporter {
  static func stage(
    _ url: String, schema: String, into staging: URL, options: CSVImportOptions, logger: Logger
  )
    throws -> StagedTables
  {
    let connection = try PostgresConnection(url: url)
    _ = try connection.query("SET datestyle = ISO, YMD")
    _ = try connection.query("SET timezone = 'UTC'")
    _ = try connection.query("SET extra_float_digits = 3")
    let names = try connection.query(
      """
      SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1
      """, [schema]
    ).compactMap { $0.first ?? nil }
    guard !names.isEmpty else { throw ImportError("schema '\(schema)' has no tables") }
    var tables: [ImportedTable] = []
    var declared: [String: DeclaredKeys] = [:]
    for name in names {
      let qualified = "\(quoted(schema)).\(quoted(name))"
      declared[name] = try declaredKeys(connection, qualified: qualified)
      tables.append(
        try importTable(
          connection, name: name, qualified: qualified, staging: staging, options: options, logger: logger))
    }
    return StagedTables(tables: tables, declared: declared)
  }

  static func quoted(_ identifier: String) -> String {
    "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  static func importTable(
    _ connection: PostgresConnection, name: String, qualified: String, staging: URL,
    options: CSVImportOptions,
    logger: Logger
  ) throws -> ImportedTable {
    let columns = try connection.query(
      """
      SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
      """, [qualified])
    let states = columns.map { row in columnState(typeName: row[1] ?? "") }
    let csv = staging.appendingPathComponent(".\(name).copy.csv")
    guard FileManager.default.createFile(atPath: csv.path, contents: nil),
      let handle = FileHandle(forWritingAtPath: csv.path)
    else { throw ImportError("\(csv.path): cannot create the temporary file") }
    defer { try? FileManager.default.removeItem(at: csv) }
    do {
      defer { try? handle.close() }
      _ = try connection.copyOut(
        "COPY (SELECT * FROM \(qualified)) TO STDOUT WITH (FORMAT csv, HEADER true)", to: handle)
    }
    var table = try CSVTableImporter.importTable(
      csv: csv.path, name: name, to: staging.appendingPathComponent("\(name).parquet").path, options: options,
      logger: logger, declaredTypes: states)
    table.file = "\(name).parquet"
    return table
  }

  static func columnState(typeName: String) -> CSVTableImporter.ColumnState {
    var state = CSVTableImporter.ColumnState()
    switch typeName {
    case "int2", "int4", "int8", "oid": state.type = .integer
    case "float4", "float8", "numeric", "money": state.type = typeName == "money" ? .string : .float
    case "bool": state.type = .boolean
    case "date": state.type = .date
    case "timestamp": state.type = .timestamp
    case "timestamptz":
      state.type = .timestamp
      state.zoned = true
    default: state.type = .string
    }
    return state
  }

  static func declaredKeys(_ connection: PostgresConnection, qualified: String) throws -> DeclaredKeys {
    let separator = "\u{1f}"
    let primary = try connection.query(
      """
      SELECT string_agg(a.attname, chr(31) ORDER BY array_position(i.indkey::int2[], a.attnum))
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary
      """, [qualified]
    ).first?.first??.components(separatedBy: separator)
    let foreign = try connection.query(
      """
      SELECT cf.relname,
        (SELECT string_agg(a.attname, chr(31) ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(att, ord)
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.att),
        (SELECT string_agg(a.attname, chr(31) ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(att, ord)
         JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.att)
      FROM pg_constraint con JOIN pg_class cf ON cf.oid = con.confrelid
      WHERE con.contype = 'f' AND con.conrelid = $1::regclass ORDER BY con.conname
      """, [qualified])
    let foreignKeys = foreign.compactMap { row -> ForeignKeySpec? in
      guard row.count == 3, let table = row[0], let local = row[1], let remote = row[2] else { return nil }
      return ForeignKeySpec(
        columns: local.components(separatedBy: separator), referencedTable: table,
        referencedColumns: remote.components(separatedBy: separator))
    }
    return DeclaredKeys(primaryKey: primary, foreignKeys: foreignKeys)
  }
}
