// Several processes writing at once lose nothing; a process killed with SIGKILL leaves its run marked
// failed (crashed) with every metric it committed.
import Foundation
import TestSupport
import Testing

@testable import Experiments

#if canImport(Glibc)
  import Glibc
#endif

@Suite(.removesTemporaryFiles) struct ProcessTests {
  @Test func concurrentWriterProcessesLoseNothing() throws {
    let home = TemporaryFiles.url("concurrent")
    let writers = 4
    let steps = 150
    let perStep = 4
    // A fresh home: the processes also race to create and migrate the store.
    let processes = try (0..<writers).map {
      try WriterProcess.start(home: home, name: "w\($0)", steps: steps, perStep: perStep).0
    }
    for process in processes { process.waitUntilExit() }
    #expect(processes.allSatisfy { $0.terminationStatus == 0 })

    let store = try ExperimentStore.open(StoreLocation(home: home))
    #expect(try scalar(store, "SELECT count(*) FROM metrics") == Int64(writers * steps * perStep))
    #expect(try scalar(store, "SELECT count(*) FROM runs WHERE status = 'succeeded'") == Int64(writers))
    let sums = try store.query(
      sql: "SELECT run_name, count(*), sum(value) FROM metrics GROUP BY run_name ORDER BY run_name")
    // Each writer logs the values 0 ..< steps * perStep once: their sum is n (n - 1) / 2.
    let n = Double(steps * perStep)
    for row in sums.rows {
      #expect(row[1] == .integer(Int64(steps * perStep)))
      #expect(row[2] == .real(n * (n - 1) / 2))
    }
    #expect(sums.rows.count == writers)
  }

  @Test func killedRunIsMarkedFailedWithItsMetrics() throws {
    let home = try TemporaryHome()
    let (process, output) = try WriterProcess.start(
      home: home.url, name: "doomed", steps: 40, perStep: 3, hang: true)
    defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    let line = String(decoding: output.fileHandleForReading.availableDataOrLine(), as: UTF8.self)
    #expect(line.hasPrefix("ready "))
    let before = try home.store.listRuns()
    #expect(before.map(\.status) == ["running"])
    // While the process lives, opening the store must not declare it crashed.
    #expect(try home.store.markCrashedRuns().isEmpty)

    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)

    let reopened = try ExperimentStore.open(home.store.location)
    let details = try reopened.details(of: "doomed")
    #expect(details.run.status == "failed")
    #expect(details.failure?.hasPrefix("crashed: process \(process.processIdentifier)") == true)
    #expect(details.run.endedAt != nil)
    #expect(try scalar(reopened, "SELECT count(*) FROM metrics WHERE run_name = 'doomed'") == 120)
    #expect(details.metrics.map(\.lastStep) == [39, 39, 39])
  }
}

extension FileHandle {
  /// Reads until a newline (the helper writes one line, then blocks).
  fileprivate func availableDataOrLine() -> Data {
    var data = Data()
    while !data.contains(UInt8(ascii: "\n")) {
      let chunk = availableData
      if chunk.isEmpty { break }
      data.append(chunk)
    }
    return data
  }
}
