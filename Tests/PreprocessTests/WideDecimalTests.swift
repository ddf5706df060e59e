// Numerical columns stored as DECIMAL in byte arrays (wider than 18 digits: what `tributary import` writes for
// numeric(19..38, s)) read as numbers, checked on the Apache Parquet test corpus, whose values pyarrow reads as
// 1.00, 2.00, ..., 24.00.
import Foundation
import Parquet
import TestSupport
import Testing

@testable import Preprocess

private let corpus = TestPaths.parquetTestingData

@Test(arguments: ["fixed_length_decimal.parquet", "byte_array_decimal.parquet"])
func decimalsInByteArraysAreNumbers(file: String) throws {
  let column = try ParquetFile(path: corpus.appendingPathComponent(file).path).readColumn("value")
  #expect(try CellConversion.numbers(column) == (1...24).map(Double.init))
}
