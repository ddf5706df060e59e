// Run-time loading of shared libraries: `dlopen` of the first candidate that opens, `dlsym` of named functions cast
// to `@convention(c)` types. Candidates are sonames (the loader's search path) and, for the CUDA libraries that
// PyTorch's wheels and the toolkit put outside it, files found under the usual install folders.
// Refuses: linking anything at build time, and closing a library (handles live as long as the process).
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An opened shared library.
public struct DynamicLibrary: @unchecked Sendable {
  // @unchecked: the handle is an opaque, immutable token that dlsym accepts from any thread.
  public let name: String
  /// The candidate that opened (a soname or a path).
  public let path: String
  let handle: UnsafeMutableRawPointer

  /// Opens the first of `candidates` that loads. Throws `libraryNotFound` with every `dlerror()` otherwise.
  public static func open(_ name: String, candidates: [String]) throws -> DynamicLibrary {
    var errors: [String] = []
    for candidate in candidates {
      if let handle = dlopen(candidate, RTLD_NOW | RTLD_GLOBAL) {
        return DynamicLibrary(name: name, path: candidate, handle: handle)
      }
      errors.append(dlerror().map { String(cString: $0) } ?? candidate)
    }
    throw CUDAError.libraryNotFound(library: name, tried: errors)
  }

  /// The function `symbol`, as `type` (a `@convention(c)` function type).
  public func function<F>(_ symbol: String, as type: F.Type) throws -> F {
    guard let pointer = dlsym(handle, symbol) else {
      throw CUDAError.symbolNotFound(library: name, symbol: symbol)
    }
    return unsafeBitCast(pointer, to: type)
  }

  /// Whether the library exports `symbol`.
  public func has(_ symbol: String) -> Bool { dlsym(handle, symbol) != nil }
}

/// Where the CUDA libraries may live besides the loader's search path.
public enum LibrarySearch {
  /// Candidates for a library: `sonames` as given (the loader's path), then each soname found in the folders of
  /// `TRIBUTARY_CUDA_LIBRARY_PATH`, the CUDA toolkit and Python's `nvidia-*` wheels.
  public static func candidates(sonames: [String], environment: [String: String]) -> [String] {
    let folders = searchFolders(environment: environment)
    var found: [String] = []
    for folder in folders {
      for soname in sonames {
        let path = folder + "/" + soname
        if FileManager.default.fileExists(atPath: path) { found.append(path) }
      }
    }
    return sonames + found
  }

  /// Folders to look in, most specific first.
  public static func searchFolders(environment: [String: String]) -> [String] {
    var folders = (environment["TRIBUTARY_CUDA_LIBRARY_PATH"] ?? "").split(separator: ":").map(String.init)
    folders += [
      "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/x86_64-linux-gnu",
      "/usr/local/cuda/lib64/stubs",
    ]
    folders +=
      (try? FileManager.default.contentsOfDirectory(atPath: "/usr/local"))?.sorted().reversed()
      .filter { $0.hasPrefix("cuda-") }.map { "/usr/local/\($0)/lib64" } ?? []
    folders += pythonWheelFolders(environment: environment)
    return folders
  }

  /// `.../site-packages/nvidia/<package>/lib` (and `nvidia/cu13/lib`) under the usual Python prefixes.
  static func pythonWheelFolders(environment: [String: String]) -> [String] {
    let fm = FileManager.default
    var prefixes = ["/usr/lib", "/usr/local/lib"]
    // Virtual environments and conda under /opt (the GPU machine's PyTorch lives in /opt/torch/.venv).
    for folder in ((try? fm.contentsOfDirectory(atPath: "/opt")) ?? []).sorted() {
      prefixes += ["/opt/\(folder)/lib", "/opt/\(folder)/.venv/lib"]
    }
    if let home = environment["HOME"] {
      prefixes.append(home + "/.local/lib")
      let pyenv = home + "/.pyenv/versions"
      prefixes += ((try? fm.contentsOfDirectory(atPath: pyenv)) ?? []).sorted().map { "\(pyenv)/\($0)/lib" }
    }
    if let virtualEnv = environment["VIRTUAL_ENV"] { prefixes.append(virtualEnv + "/lib") }
    var folders: [String] = []
    for prefix in prefixes {
      for python in ((try? fm.contentsOfDirectory(atPath: prefix)) ?? []).sorted()
      where python.hasPrefix("python3") {
        for packages in ["site-packages", "dist-packages"] {
          let nvidia = "\(prefix)/\(python)/\(packages)/nvidia"
          for package in ((try? fm.contentsOfDirectory(atPath: nvidia)) ?? []).sorted() {
            folders.append("\(nvidia)/\(package)/lib")
          }
        }
      }
    }
    return folders
  }
}
