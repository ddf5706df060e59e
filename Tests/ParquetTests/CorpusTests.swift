// Every file of the parquet-testing corpus and of Fixtures/generated has a test case: values equal to pyarrow's
// (Fixtures/expected/<group>/<file>.json, from tools/parquet_expect.py), or a specific typed error.
// A file without a case fails `everyFileHasACase`.
import Foundation
import Testing

@testable import Parquet

/// What a corpus file must do when this reader opens and reads it.
enum CorpusCase {
  /// Compare every column with the pyarrow expectation file.
  case matchesPyarrow
  /// Opening the file fails with this error kind.
  case openFails(ParquetError.Kind)
  /// The file opens; reading any column fails with this error kind.
  case readFails(ParquetError.Kind)
  /// The file opens; reading these columns fails with this kind, the other columns match pyarrow.
  case columnsFail([String], ParquetError.Kind)
}

enum CorpusCases {
  /// Files whose behaviour differs from "matches pyarrow".
  static let special: [String: CorpusCase] = [
    // pyarrow does not verify page CRCs by default; we do.
    "datapage_v1-corrupt-checksum.parquet": .readFails(.checksumMismatch),
    "rle-dict-uncompressed-corrupt-checksum.parquet": .readFails(.checksumMismatch),
    // A dictionary page header claims more bytes than its column chunk holds (pyarrow reads past the chunk).
    "nation.dict-malformed.parquet": .columnsFail(["comment_col", "name"], .corruptPage),
    // Encrypted footers (PARE magic).
    "encrypt_columns_and_footer.parquet.encrypted": .openFails(.encrypted),
    "encrypt_columns_and_footer_aad.parquet.encrypted": .openFails(.encrypted),
    "encrypt_columns_and_footer_bloom_filter.parquet.encrypted": .openFails(.encrypted),
    "encrypt_columns_and_footer_ctr.parquet.encrypted": .openFails(.encrypted),
    "encrypt_columns_and_footer_disable_aad_storage.parquet.encrypted": .openFails(.encrypted),
    "external_key_material_java.parquet.encrypted": .openFails(.encrypted),
    "uniform_encryption.parquet.encrypted": .openFails(.encrypted),
    "aes256/encrypt_columns_and_footer.parquet.encrypted": .openFails(.encrypted),
    "aes256/encrypt_columns_and_footer_ctr.parquet.encrypted": .openFails(.encrypted),
    "aes256/encrypt_columns_and_footer_disable_aad_storage.parquet.encrypted": .openFails(.encrypted),
    "aes256/uniform_encryption.parquet.encrypted": .openFails(.encrypted),
    // Plaintext footer, encrypted columns: the schema reads, the columns do not.
    "encrypt_columns_plaintext_footer.parquet.encrypted": .readFails(.encrypted),
    "aes256/encrypt_columns_plaintext_footer.parquet.encrypted": .readFails(.encrypted),
  ]

  /// Every corpus file, relative to the data directory (subdirectories included).
  static func corpusFiles() -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: Corpus.data.path) else { return [] }
    return walker.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".parquet") || $0.hasSuffix(".parquet.encrypted") }.sorted()
  }

  static func generatedFiles() -> [String] {
    let directory = Corpus.fixtures.appendingPathComponent("generated")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".parquet") }.sorted()
  }

  static func expectationURL(group: String, file: String) -> URL {
    Corpus.fixtures.appendingPathComponent(
      "expected/\(group)/\(file.replacingOccurrences(of: "/", with: "__")).json")
  }
}

@Test func corpusIsPresent() {
  #expect(CorpusCases.corpusFiles().count > 50, "parquet-testing corpus not found at \(Corpus.data.path)")
}

@Test func everyFileHasACase() {
  for file in CorpusCases.corpusFiles() where CorpusCases.special[file] == nil {
    let url = CorpusCases.expectationURL(group: "parquet-testing", file: file)
    #expect(FileManager.default.fileExists(atPath: url.path), "no test case for corpus file \(file)")
  }
  for file in CorpusCases.generatedFiles() {
    let url = CorpusCases.expectationURL(group: "generated", file: file)
    #expect(FileManager.default.fileExists(atPath: url.path), "no expectation for generated/\(file)")
  }
}

@Test(arguments: CorpusCases.corpusFiles())
func corpusFile(_ name: String) throws {
  let path = Corpus.data.appendingPathComponent(name).path
  let expectedCase = CorpusCases.special[name] ?? .matchesPyarrow
  try check(
    path: path, expectedCase, expectation: CorpusCases.expectationURL(group: "parquet-testing", file: name))
}

@Test(arguments: CorpusCases.generatedFiles())
func generatedFile(_ name: String) throws {
  let path = Corpus.fixtures.appendingPathComponent("generated/\(name)").path
  try check(
    path: path, .matchesPyarrow, expectation: CorpusCases.expectationURL(group: "generated", file: name))
}

private func check(path: String, _ expectedCase: CorpusCase, expectation: URL) throws {
  switch expectedCase {
  case .openFails(let kind):
    #expect { _ = try ParquetFile(path: path) } throws: { ($0 as? ParquetError)?.kind == kind }
  case .readFails(let kind):
    let file = try ParquetFile(path: path)
    #expect(!file.columns.isEmpty)
    for column in file.columns {
      #expect { _ = try file.readChunk(column, rowGroup: 0) } throws: { ($0 as? ParquetError)?.kind == kind }
    }
  case .columnsFail(let names, let kind):
    let file = try ParquetFile(path: path)
    for name in names {
      #expect { _ = try file.readColumn(name) } throws: { ($0 as? ParquetError)?.kind == kind }
    }
    try matchPyarrow(path: path, expectation: expectation, skipping: Set(names))
  case .matchesPyarrow:
    try matchPyarrow(path: path, expectation: expectation, skipping: [])
  }
}

private func matchPyarrow(path: String, expectation: URL, skipping: Set<String>) throws {
  guard FileManager.default.fileExists(atPath: expectation.path) else {
    Issue.record("missing expectation \(expectation.lastPathComponent): run tools/parquet_expect.py")
    return
  }
  let expected = try Expectation(url: expectation)
  if let error = expected.error {
    // pyarrow refuses the file; so must we, at open or at read.
    do {
      let file = try ParquetFile(path: path)
      let readable = file.columns.filter { $0.unsupportedReason == nil }
      #expect(readable.isEmpty, "pyarrow refuses this file (\(error)); we read \(readable.map(\.name))")
    } catch {}
    return
  }
  let file = try ParquetFile(path: path)
  let problems = compare(file, with: expected).filter { problem in
    !skipping.contains { problem.hasPrefix($0) }
  }
  #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
}
