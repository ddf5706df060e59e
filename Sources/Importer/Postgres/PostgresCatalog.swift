// Catalog queries of the PostgreSQL import: a table's columns (name, type and type modifier, domains resolved to
// their base type) and its declared keys (primary key, foreign keys, composite ones in declared column order).
// Every selected value is cast to text, so one decoder serves all of them.
import DatabaseSpec
import PostgresNIO

enum PostgresCatalog {
  static func columns(_ source: PostgresSource, qualified: String) async throws -> [PostgresImporter
    .SourceColumn]
  {
    let rows = try await source.textRows(
      """
      SELECT a.attname::text, b.typname::text,
        (CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END)::text
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
      WHERE a.attrelid = \(qualified)::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
      """)
    return rows.compactMap { row in
      guard row.count == 3, let name = row[0], let type = row[1] else { return nil }
      let modifier = row[2].flatMap { Int($0) } ?? -1
      return PostgresImporter.SourceColumn(
        name: name, type: PostgresColumnType(typeName: type, typeModifier: modifier))
    }
  }

  static func declaredKeys(_ source: PostgresSource, qualified: String) async throws -> DeclaredKeys {
    let separator = "\u{1f}"
    let primary = try await source.textRows(
      """
      SELECT string_agg(a.attname::text, chr(31) ORDER BY array_position(i.indkey::int2[], a.attnum))
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = \(qualified)::regclass AND i.indisprimary
      """
    ).first?.first??.components(separatedBy: separator)
    let foreign = try await source.textRows(
      """
      SELECT cf.relname::text,
        (SELECT string_agg(a.attname::text, chr(31) ORDER BY k.ord)
         FROM unnest(con.conkey) WITH ORDINALITY k(att, ord)
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.att),
        (SELECT string_agg(a.attname::text, chr(31) ORDER BY k.ord)
         FROM unnest(con.confkey) WITH ORDINALITY k(att, ord)
         JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.att)
      FROM pg_constraint con JOIN pg_class cf ON cf.oid = con.confrelid
      WHERE con.contype = 'f' AND con.conrelid = \(qualified)::regclass ORDER BY con.conname
      """)
    let foreignKeys = foreign.compactMap { row -> ForeignKeySpec? in
      guard row.count == 3, let table = row[0], let local = row[1], let remote = row[2] else { return nil }
      return ForeignKeySpec(
        columns: local.components(separatedBy: separator), referencedTable: table,
        referencedColumns: remote.components(separatedBy: separator))
    }
    return DeclaredKeys(primaryKey: primary, foreignKeys: foreignKeys)
  }
}
