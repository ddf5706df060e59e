// swift-tools-version: 6.0
// Tributary: a foundation model for relational databases.
// One target per layer; dependencies point one way:
//   CCompression/CBLAS (system shims) <- Codecs <- Parquet <- (Preprocess <- Sampler) <- CLI
//   CBLAS <- Tensor <- TextEmbedding <- CLI
import PackageDescription

// Zen 3 CPUs here and on CI: AVX2 + FMA. Without this Swift vectorizes to 4-wide SSE only.
let fastMath: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]

let package = Package(
  name: "Tributary",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "tributary", targets: ["tributary"]),
    .library(name: "Parquet", targets: ["Parquet"]),
    .library(name: "Tensor", targets: ["Tensor"]),
    .library(name: "TextEmbedding", targets: ["TextEmbedding"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
  ],
  targets: [
    // System libraries (Debian -dev packages, installed by scripts/setup.sh).
    .systemLibrary(name: "CCompression", path: "Sources/CCompression"),
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),

    // Compression codecs over the system libraries (zstd, lz4, brotli, snappy, zlib).
    .target(name: "Codecs", dependencies: ["CCompression"], swiftSettings: fastMath),
    // Pure-Swift Parquet reader and flat writer.
    .target(
      name: "Parquet",
      dependencies: ["Codecs", .product(name: "Logging", package: "swift-log")],
      swiftSettings: fastMath),
    // Tensor engine: CPU backend over BLAS, explicit forward/backward per op.
    .target(
      name: "Tensor",
      dependencies: ["CBLAS", .product(name: "Logging", package: "swift-log")], exclude: ["README-API.md"],
      swiftSettings: fastMath),
    // Text embedders: WordPiece tokenizer, all-MiniLM-L6-v2 on the tensor engine.
    .target(
      name: "TextEmbedding",
      dependencies: ["Tensor", .product(name: "Logging", package: "swift-log")],
      swiftSettings: fastMath),

    .executableTarget(
      name: "tributary",
      dependencies: [
        "Parquet", "Tensor", "TextEmbedding",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: fastMath),

    .testTarget(name: "CodecsTests", dependencies: ["Codecs"]),
    .testTarget(
      name: "ParquetTests", dependencies: ["Parquet"], resources: [.copy("Fixtures")]),
    .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
    .testTarget(name: "TextEmbeddingTests", dependencies: ["TextEmbedding"], resources: [.copy("Fixtures")]),
  ]
)
