// Test helper: records one run from a separate process so tests can check concurrent writers and killed
// runs. Usage: experiments-writer HOME NAME STEPS METRICS_PER_STEP [hang]
// With `hang` it prints "ready" after the last metric and waits (at most 60 s) to be killed instead of finishing.
import Experiments
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 5, let steps = Int(arguments[3]), let perStep = Int(arguments[4]) else {
  FileHandle.standardError.write(
    Data("usage: experiments-writer HOME NAME STEPS METRICS_PER_STEP [hang]\n".utf8))
  exit(2)
}
let hang = arguments.count > 5 && arguments[5] == "hang"
do {
  let store = try ExperimentStore.open(
    StoreLocation(home: URL(fileURLWithPath: arguments[1])), options: .init(toolVersion: "writer-test"))
  let run = try store.startRun(
    kind: .train, name: arguments[2], config: ["steps": steps, "per_step": perStep])
  for step in 0..<steps {
    var values: [String: Double] = [:]
    for metric in 0..<perStep { values["m\(metric)"] = Double(step * perStep + metric) }
    try run.logMetrics(step: step, values)
  }
  if hang {
    FileHandle.standardOutput.write(Data("ready \(run.id)\n".utf8))
    // Bounded, so a test that fails before killing it leaves no process behind for long.
    sleep(60)
    exit(3)
  }
  try run.finish(status: .succeeded, finalMetrics: ["steps": Double(steps)])
} catch {
  FileHandle.standardError.write(Data("experiments-writer: \(error)\n".utf8))
  exit(1)
}
