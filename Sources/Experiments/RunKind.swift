// The closed vocabularies of a run: what kind of job it was and how it ended.
public enum RunKind: String, Codable, Sendable, CaseIterable {
  case train, evaluate, predict, demo
}

public enum RunStatus: String, Codable, Sendable, CaseIterable {
  /// Started and heartbeating (or not yet found dead).
  case running
  case succeeded
  /// Finished with an error, or its process died without finishing (`failure` starts with "crashed").
  case failed
  /// Stopped on purpose before the end.
  case cancelled
}
