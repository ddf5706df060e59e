// Turns an SVG file into PNG with an external converter (rsvg-convert, from Debian's librsvg2-bin), found
// on PATH. It does not rasterise anything itself and fails with a message naming what to install.
import Foundation

public enum SVGConverter {
  public static let candidates = ["rsvg-convert"]

  /// The first converter on `searchPath` (a PATH-style list), if any.
  public static func find(searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "") -> String? {
    for name in candidates {
      for directory in searchPath.split(separator: ":") {
        let path = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
      }
    }
    return nil
  }

  public static func convert(svg: String, png: String, searchPath: String? = nil) throws {
    guard let converter = searchPath.map({ find(searchPath: $0) }) ?? find() else {
      throw ExperimentsError.badFile(
        path: png,
        reason: "no SVG-to-PNG converter found (looked for \(candidates.joined(separator: ", ")) on PATH; "
          + "install Debian's librsvg2-bin); the SVG is at \(svg)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: converter)
    process.arguments = ["--format", "png", "--output", png, svg]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ExperimentsError.badFile(
        path: png, reason: "\(converter) failed: \(String(decoding: message, as: UTF8.self))")
    }
  }
}
