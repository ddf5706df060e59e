// The corpus's own `*_expect.csv` files (written by the corpus authors, independently of pyarrow): every cell of
// the matching Parquet file, by column position; an empty field is null.
import Foundation
import Testing

@testable import Parquet

private func expectCsvFiles() -> [String] {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: Corpus.data.path)) ?? []
  return names.filter { $0.hasSuffix("_expect.csv") }.sorted()
}

/// Splits CSV text into rows of fields (RFC 4180 quoting); a quoted empty field stays "" and an unquoted one nil.
private func parseCsv(_ text: String) -> [[String?]] {
  var rows: [[String?]] = []
  var row: [String?] = []
  var field = ""
  var quoted = false
  var inQuotes = false
  var chars = Array(text).makeIterator()
  var pending: Character? = nil
  func endField() {
    row.append(field.isEmpty && !quoted ? nil : field)
    field = ""
    quoted = false
  }
  while let c = pending ?? chars.next() {
    pending = nil
    if inQuotes {
      if c == "\"" {
        let next = chars.next()
        if next == "\"" {
          field.append("\"")
        } else {
          inQuotes = false
          pending = next
        }
      } else {
        field.append(c)
      }
    } else if c == "\"" {
      inQuotes = true
      quoted = true
    } else if c == "," {
      endField()
    } else if c == "\n" || c == "\r\n" {
      endField()
      rows.append(row)
      row = []
    } else {
      field.append(c)
    }
  }
  if !field.isEmpty || !row.isEmpty {
    endField()
    rows.append(row)
  }
  return rows
}

@Test func expectCsvFilesArePresent() { #expect(expectCsvFiles().count >= 4) }

@Test(arguments: expectCsvFiles())
func matchesExpectCsv(_ csvName: String) throws {
  let parquetName = csvName.replacingOccurrences(of: "_expect.csv", with: ".parquet")
  let file = try ParquetFile(path: Corpus.data.appendingPathComponent(parquetName).path)
  let rows = parseCsv(try String(contentsOf: Corpus.data.appendingPathComponent(csvName), encoding: .utf8))
  let header = try #require(rows.first)
  let body = rows.dropFirst()
  #expect(header.count == file.columns.count)
  #expect(body.count == file.rowCount)
  let columns = try file.readColumns(nil, threads: 2)
  for (index, column) in columns.enumerated() {
    let renderer = CanonicalRenderer(column)
    for (row, fields) in body.enumerated() {
      let got = column.isNull(row) ? nil : renderer.renderPlain(row)
      guard got == fields[index] else {
        Issue.record(
          "\(column.descriptor.name) row \(row): got \(got ?? "null"), expected \(fields[index] ?? "null")")
        break
      }
    }
  }
}
