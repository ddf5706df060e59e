// Errors of the processed-database store. Each names the file and, where it applies, the section; a format or
// version mismatch carries the hint to re-run preprocessing.
public enum StoreError: Error, CustomStringConvertible, Equatable {
  case notAContainer(path: String, reason: String)
  case versionMismatch(path: String, found: UInt32, expected: UInt32)
  case wrongKind(path: String, found: UInt32, expected: ContainerKind)
  case corrupt(path: String, reason: String)
  case missingSection(path: String, name: String)
  case invalidSection(path: String, name: String, reason: String)

  public var description: String {
    let hint = " ---> HINT: re-run `tributary preprocess` to rebuild the processed database"
    switch self {
    case .notAContainer(let path, let reason):
      return "\(path): not a Tributary file (\(reason))" + hint
    case .versionMismatch(let path, let found, let expected):
      return "\(path): format version \(found), this Tributary reads version \(expected)" + hint
    case .wrongKind(let path, let found, let expected):
      return "\(path): holds kind \(found), expected \(expected)"
    case .corrupt(let path, let reason):
      return "\(path): corrupt (\(reason))" + hint
    case .missingSection(let path, let name):
      return "\(path): no section '\(name)'" + hint
    case .invalidSection(let path, let name, let reason):
      return "\(path): section '\(name)': \(reason)"
    }
  }
}
