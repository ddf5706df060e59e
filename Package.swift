// swift-tools-version: 6.0
// Tributary: a foundation model for relational databases.
// One target per layer; dependencies point one way:
//   CCompression/CBLAS (system shims) <- Codecs <- Parquet <- (Preprocess <- Sampler) <- CLI
//   CBLAS <- Tensor <- TextEmbedding <- CLI
import PackageDescription

// Zen 3 CPUs here and on CI: AVX2 + FMA. Without this Swift vectorizes to 4-wide SSE only.
let fastMath: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
// The numeric hot paths are optimized even in debug builds: unoptimized SIMD code runs ~100x slower, which made
// the test suite wait on the engine and the embedder instead of testing them.
let alwaysOptimized: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell", "-O"])]

let package = Package(
  name: "Tributary",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "tributary", targets: ["tributary"]),
    .library(name: "Parquet", targets: ["Parquet"]),
    .library(name: "DatabaseSpec", targets: ["DatabaseSpec"]),
    .library(name: "Tensor", targets: ["Tensor"]),
    .library(name: "TextEmbedding", targets: ["TextEmbedding"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
    .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
  ],
  targets: [
    // System libraries (Debian -dev packages, installed by scripts/setup.sh).
    .systemLibrary(name: "CCompression", path: "Sources/CCompression"),
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),

    // Compression codecs over the system libraries (zstd, lz4, brotli, snappy, zlib).
    .target(name: "Codecs", dependencies: ["CCompression"], swiftSettings: fastMath),
    // Files: memory-mapped reading, write-then-rename writing.
    .target(name: "FileSupport"),
    // The processed database: Tributary's binary container format, mapped zero-copy by the sampler.
    .target(name: "Store", dependencies: ["FileSupport", "DatabaseSpec"], swiftSettings: fastMath),
    // Process-level utilities: progress with rate and ETA (swift-log), bounded parallel loops.
    .target(name: "Runtime", dependencies: [.product(name: "Logging", package: "swift-log")]),
    // Preprocessing: a database (Parquet + metadata.json) into the processed store.
    .target(
      name: "Preprocess",
      dependencies: [
        "Parquet", "DatabaseSpec", "Store", "FileSupport", "TextEmbedding", "Runtime",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: alwaysOptimized),
    // Sampler: context sequences around seed rows, packed into fixed-shape batches (docs/format.md).
    .target(
      name: "Sampler",
      dependencies: ["Store", "DatabaseSpec", "Runtime", .product(name: "Logging", package: "swift-log")],
      swiftSettings: alwaysOptimized),
    // Bring your own database: propose metadata.json from Parquet files (describe), import CSV/SQLite/PostgreSQL.
    .target(
      name: "Importer",
      dependencies: [
        "Parquet", "DatabaseSpec", "Runtime", "FileSupport", .product(name: "Logging", package: "swift-log"),
        .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: fastMath),
    // metadata.json: the annotated description of a relational database (semantic types, keys, tasks).
    .target(name: "DatabaseSpec"),
    // Pure-Swift Parquet reader and flat writer.
    .target(
      name: "Parquet",
      dependencies: ["Codecs", "FileSupport", .product(name: "Logging", package: "swift-log")],
      swiftSettings: alwaysOptimized),
    // Tensor engine: CPU backend over BLAS, explicit forward/backward per op.
    .target(
      name: "Tensor",
      dependencies: ["CBLAS", "FileSupport", .product(name: "Logging", package: "swift-log")],
      exclude: ["README-API.md"],
      swiftSettings: alwaysOptimized),
    // CUDA backend: libcuda, cuBLASLt and NVRTC loaded at run time (nothing linked), kernels compiled by NVRTC.
    .target(
      name: "CUDA", dependencies: ["Tensor", .product(name: "Logging", package: "swift-log")],
      swiftSettings: fastMath),
    // Text embedders: WordPiece tokenizer, all-MiniLM-L6-v2 on the tensor engine.
    .target(
      name: "TextEmbedding",
      dependencies: ["Tensor", .product(name: "Logging", package: "swift-log")],
      swiftSettings: alwaysOptimized),
    // The relational transformer: cell tokens, relation masks, forward and hand-written backward, heads, losses.
    .target(
      name: "Model",
      dependencies: ["Tensor", "Sampler", .product(name: "Logging", package: "swift-log")],
      swiftSettings: alwaysOptimized),
    // Training: the optimization step, training configuration, checkpoints, evaluation metrics.
    .target(
      name: "Training",
      dependencies: [
        "Model", "Tensor", "Sampler", "Store", "DatabaseSpec", .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: fastMath),
    // The experiment store: every run recorded in one SQLite database (GRDB), queried with SQL.
    .target(
      name: "Experiments",
      dependencies: [
        "Parquet", "Runtime", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: fastMath),

    // The batch job queue: jobs cut into leased chunks (SQLite via GRDB), workers, executors (embed; predict next).
    .target(
      name: "JobQueue",
      dependencies: [
        "Parquet", "TextEmbedding", "FileSupport", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    // The same queue in PostgreSQL (postgres-nio, FOR UPDATE SKIP LOCKED leases), for workers on several machines.
    .target(
      name: "PostgresJobQueue",
      dependencies: [
        "JobQueue", .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    // `predict` jobs: a checkpoint over a task split, chunk by chunk; the prediction file's rows (shared with the CLI).
    .target(
      name: "PredictJobs",
      dependencies: [
        "JobQueue", "Training", "Model", "Sampler", "Store", "Tensor", "DatabaseSpec", "Parquet",
        .product(name: "Logging", package: "swift-log"),
      ]),
    // The batch prediction service: HTTP API (Hummingbird), auth, metrics, status page over a JobQueue.
    .target(
      name: "Service",
      dependencies: [
        "JobQueue", "TextEmbedding", .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
      ]),

    // libFuzzer harness for the Parquet reader (see docs/parquet.md). Plain builds give a no-op program; with
    // `-parse-as-library -sanitize=fuzzer`, CParquetFuzzMain's weak entry point runs libFuzzer's driver.
    .target(name: "CParquetFuzzMain"),
    // glibc malloc tuning for the command line (keep freed memory instead of re-faulting it).
    .target(name: "CMemoryTuning"),
    .executableTarget(name: "ParquetFuzz", dependencies: ["Parquet", "CParquetFuzzMain"]),
    .executableTarget(
      name: "tributary",
      dependencies: [
        "Parquet", "Tensor", "TextEmbedding", "Preprocess", "Runtime", "DatabaseSpec", "Store", "Experiments",
        "Sampler", "Importer", "CMemoryTuning", "Model", "Training", "JobQueue", "PostgresJobQueue", "Service",
        "PredictJobs", "CUDA",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: fastMath),

    // Test helpers shared by the test targets: temporary files removed after each test, paths of the shared data,
    // a throwaway PostgreSQL server, the fake HTTP servers under tools/, helper executables.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
    .testTarget(name: "FileSupportTests", dependencies: ["FileSupport", "TestSupport"]),
    .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "PreprocessTests", dependencies: ["Preprocess", "Store", "TextEmbedding", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "SamplerTests",
      dependencies: ["Sampler", "Preprocess", "Store", "TextEmbedding", "DatabaseSpec", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "DatabaseSpecTests", dependencies: ["DatabaseSpec", "TestSupport"]),
    .testTarget(
      name: "ImporterTests",
      dependencies: [
        "Importer", "Preprocess", "Store", "Parquet", "DatabaseSpec", "TextEmbedding", "TestSupport",
      ],
      exclude: ["Fixtures"]),
    .testTarget(name: "CodecsTests", dependencies: ["Codecs"]),
    .testTarget(
      name: "ParquetTests", dependencies: ["Parquet", "TestSupport"], resources: [.copy("Fixtures")]),
    // Test helper: records metrics from a separate process (concurrent writers, killed runs).
    .executableTarget(
      name: "experiments-writer", dependencies: ["Experiments"], path: "Tests/ExperimentsWriter"),
    .testTarget(
      name: "ExperimentsTests", dependencies: ["Experiments", "experiments-writer", "TestSupport"]),
    // Test helper: a queue worker in its own process, so tests can kill -9 it mid-job.
    .executableTarget(
      name: "service-test-worker", dependencies: ["JobQueue", "PostgresJobQueue", "TextEmbedding", "PredictJobs"],
      path: "Tests/ServiceTestWorker"),
    .testTarget(
      name: "ServiceTests",
      dependencies: [
        "JobQueue", "PostgresJobQueue", "Service", "Parquet", "TextEmbedding", "service-test-worker",
        "PredictJobs", "Preprocess", "Training", "Model", "Tensor", "Store", "DatabaseSpec", "TestSupport",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ],
      exclude: ["Fixtures"]),
    .testTarget(name: "TensorTests", dependencies: ["Tensor", "TestSupport"]),
    .testTarget(name: "CUDATests", dependencies: ["CUDA", "Tensor"]),
    .testTarget(
      name: "ModelTests", dependencies: ["Model", "Tensor", "Sampler", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "TrainingTests",
      dependencies: [
        "Training", "Model", "Tensor", "Store", "Preprocess", "TextEmbedding",
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "TextEmbeddingTests", dependencies: ["TextEmbedding", "TestSupport"],
      resources: [.copy("Fixtures")]),
  ]
)
