// Format versions on open: a database written as format 1 (which also stored cyclic timestamp features, ignored
// now) is read and sampled; a later version is refused naming the file, before anything else is read.
import Foundation
import Store
import TestSupport
import Testing

@testable import Sampler

@Test(.removesTemporaryFiles) func formatOneIsReadAndALaterFormatRefused() async throws {
  let original = try await ProcessedFixtures.shared.database("timeline").directory
  func copy(asVersion version: Int) throws -> URL {
    let folder = TemporaryFiles.url("format-\(version)")
    try FileManager.default.copyItem(at: original, to: folder)
    let metadata = folder.appendingPathComponent("metadata.json")
    var json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: metadata)) as? [String: Any])
    #expect(json["format_version"] as? Int == ProcessedMetadata.currentFormatVersion)
    json["format_version"] = version
    try JSONSerialization.data(withJSONObject: json).write(to: metadata)
    return folder
  }
  let old = try ProcessedDatabase(directory: try copy(asVersion: 1))
  let sampler = try Sampler(database: old, settings: SamplerSettings(mode: .pretrain, batchSize: 2))
  let batch = sampler.makeBatch()
  sampler.fill(batch, epoch: 0, index: 0)
  #expect(batch.array(.cellCount, as: Int32.self).allSatisfy { $0 > 0 })
  let later = try copy(asVersion: 3)
  #expect(throws: StoreError.self) { _ = try ProcessedDatabase(directory: later) }
  do {
    _ = try ProcessedDatabase(directory: later)
  } catch let error as StoreError {
    #expect("\(error)".contains("metadata.json"))
  }
}
