// `tributary train --devices N`: data parallel over N GPUs of one node, one process per GPU. The parent makes an
// NCCL unique id, starts N copies of its own command line (without --devices) with TRIBUTARY_RANK,
// TRIBUTARY_WORLD_SIZE and TRIBUTARY_NCCL_ID set, and waits; the first rank to fail stops the others. Each rank
// opens GPU `rank`, joins the NCCL communicator and runs the same training loop on its shard of every batch; only
// rank 0 records the run, writes metrics and checkpoints.
// Refuses: several nodes (ranks are GPU ordinals of this machine), and data parallel on the CPU from the command line
// (the in-process group is for tests).
import ArgumentParser
import CUDA
import Foundation
import Tensor

/// This process's place in a data-parallel run, from the environment the launcher set.
struct RankEnvironment {
  static let rankKey = "TRIBUTARY_RANK"
  static let worldSizeKey = "TRIBUTARY_WORLD_SIZE"
  static let idKey = "TRIBUTARY_NCCL_ID"
  let rank: Int
  let worldSize: Int
  let id: NCCLUniqueId

  /// nil when this process is not a launched rank.
  static func current(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
    -> RankEnvironment?
  {
    guard let rankText = environment[rankKey] else { return nil }
    guard let rank = Int(rankText), let worldSize = Int(environment[worldSizeKey] ?? ""),
      (0..<worldSize).contains(rank), let hex = environment[idKey]
    else {
      throw ValidationError(
        "\(rankKey)=\(rankText) needs \(worldSizeKey) above it and \(idKey) (set by `train --devices N`)")
    }
    return RankEnvironment(rank: rank, worldSize: worldSize, id: try NCCLUniqueId(hex: hex))
  }

  /// GPU `rank` and its NCCL communicator (blocks until every rank joined).
  func engine() throws -> (backend: CUDABackend, communicator: NCCLCommunicator) {
    let backend = try CUDABackend(device: rank)
    return (backend, try NCCLCommunicator(rank: rank, worldSize: worldSize, id: id, backend: backend))
  }
}

/// Starts one process per GPU and waits for them.
enum RankLauncher {
  /// Runs this command line without `--devices` as `devices` ranks; returns the first failing exit status, or 0.
  static func launch(devices: Int, arguments: [String]) throws -> Int32 {
    let id = try NCCL.load().uniqueId()
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var ranks: [Process] = []
    for rank in 0..<devices {
      let process = Process()
      process.executableURL = executable
      process.arguments = withoutDevices(arguments)
      var environment = ProcessInfo.processInfo.environment
      environment[RankEnvironment.rankKey] = "\(rank)"
      environment[RankEnvironment.worldSizeKey] = "\(devices)"
      environment[RankEnvironment.idKey] = id.hex
      process.environment = environment
      try process.run()
      ranks.append(process)
    }
    return waitForAll(ranks)
  }

  /// Waits for every rank; when one fails, terminates the others (a collective would wait for it forever).
  static func waitForAll(_ ranks: [Process]) -> Int32 {
    var failure: Int32 = 0
    while ranks.contains(where: \.isRunning) {
      if failure == 0, let failed = ranks.first(where: { !$0.isRunning && $0.terminationStatus != 0 }) {
        failure = failed.terminationStatus
        for rank in ranks where rank.isRunning { rank.terminate() }
      }
      Thread.sleep(forTimeInterval: 0.2)
    }
    for rank in ranks where failure == 0 && rank.terminationStatus != 0 { failure = rank.terminationStatus }
    return failure
  }

  /// `arguments` without `--devices N` / `--devices=N`.
  static func withoutDevices(_ arguments: [String]) -> [String] {
    var kept: [String] = []
    var skipNext = false
    for argument in arguments {
      if skipNext {
        skipNext = false
      } else if argument == "--devices" {
        skipNext = true
      } else if !argument.hasPrefix("--devices=") {
        kept.append(argument)
      }
    }
    return kept
  }
}
