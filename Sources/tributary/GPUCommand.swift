// `tributary gpu info` (the CUDA libraries and devices found, or why not) and `tributary gpu check` (every op on
// random inputs on the GPU and on the CPU backend, with the relative error per output, then a forward + backward
// step of the relational transformer on both): the first commands to run on a machine with a GPU.
import ArgumentParser
import CUDA
import Foundation
import Model
import Tensor

struct GPUCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gpu", abstract: "The CUDA backend: what is found, and parity with the CPU backend.",
    subcommands: [GPUInfoCommand.self, GPUCheckCommand.self, GPUBenchCommand.self])
}

struct GPUInfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info", abstract: "CUDA libraries (path, version) and devices, or why they are missing.")

  func run() throws { print(CUDAInfo.report()) }
}

extension MatmulPrecision: ExpressibleByArgument {}

struct GPUCheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Every op on GPU vs CPU (relative error), then a model step on both.")
  @Option(help: "GEMM precision on the GPU: bf16, tf32 or f32.") var precision = MatmulPrecision.bf16
  @Option(help: "Seed of the random inputs.") var seed: UInt64 = 1
  @Option(help: "Model for the step check: small or rt (d=256, 12 blocks, L=1024).") var model = "small"
  @Option(help: "Contexts per batch in the model check.") var batch = 2
  @Option(help: "CPU threads for the reference.") var threads = 2
  @Flag(help: "Skip the model step check.") var opsOnly = false

  func run() async throws {
    let gpu: CUDABackend
    do {
      gpu = try CUDABackend(device: 0, precision: precision)
    } catch {
      print(CUDAInfo.report())
      print("gpu check: no CUDA backend: \(error)")
      throw ExitCode(2)
    }
    let cpu = CPUBackend(threads: threads)
    print("gpu check on \(gpu.device.info.name) (\(gpu.name)), GEMMs in \(precision)")
    var failures = try GPUParity.checkOps(gpu: gpu, cpu: cpu, seed: seed, precision: precision)
    failures += try GPUParity.checkFlashAttention(gpu: gpu, cpu: cpu, seed: seed)
    failures += try GPUParity.checkTraining(gpu: gpu, cpu: cpu, seed: seed)
    failures += try GPUParity.checkCollectives(gpu: gpu, seed: seed)
    failures += try await GPUParity.checkMiniLM(gpu: gpu, seed: seed, precision: precision)
    if !opsOnly {
      failures += try GPUParity.checkModelStep(gpu: gpu, cpu: cpu, config: model, batch: batch)
    }
    let stats = gpu.device.allocator.statistics
    print(
      "allocator: peak \(stats.peakReserved >> 20) MiB reserved, \(stats.deviceAllocations) device allocations, "
        + "\(stats.cacheHits) cache hits")
    print(failures == 0 ? "gpu check: all passed" : "gpu check: \(failures) failed")
    if failures > 0 { throw ExitCode(1) }
  }
}
