// The experiment store: one SQLite database in WAL mode under TRIBUTARY_HOME, created and migrated on first
// use, shared by several processes (a busy timeout serialises writers; a file lock serialises migrations).
// Opening it for writing also marks runs whose process died as failed. It does not hold run state in
// memory: everything a `Run` records is committed before the call returns.
import Foundation
import GRDB
import Logging

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public final class ExperimentStore: Sendable {
  public struct Options: Sendable {
    /// Recorded with every run (the CLI passes its own version).
    public var toolVersion: String
    /// How often a live run refreshes its heartbeat.
    public var heartbeatInterval: Double
    /// A running run on another host is declared crashed after this long without a heartbeat.
    public var remoteLease: Double
    /// How long a writer waits for another process's write transaction.
    public var busyTimeout: Double

    public init(
      toolVersion: String = "unknown", heartbeatInterval: Double = 15, remoteLease: Double = 300,
      busyTimeout: Double = 60
    ) {
      self.toolVersion = toolVersion
      self.heartbeatInterval = heartbeatInterval
      self.remoteLease = remoteLease
      self.busyTimeout = busyTimeout
    }
  }

  public let location: StoreLocation
  public let options: Options
  let pool: DatabasePool
  static let logger = Logger(label: "tributary.experiments")

  private init(location: StoreLocation, options: Options, pool: DatabasePool) {
    self.location = location
    self.options = options
    self.pool = pool
  }

  /// Opens (creating and migrating if needed) the store, then marks crashed runs as failed.
  public static func open(
    _ location: StoreLocation = .fromEnvironment(), options: Options = Options()
  ) throws -> ExperimentStore {
    try location.createHome()
    let pool = try withMigrationLock(location) {
      var configuration = Configuration()
      configuration.busyMode = .timeout(options.busyTimeout)
      configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
      let pool = try storeCall(location) {
        try DatabasePool(path: location.databaseFile.path, configuration: configuration)
      }
      try storeCall(location) { try Schema.migrator.migrate(pool) }
      return pool
    }
    let store = ExperimentStore(location: location, options: options, pool: pool)
    let crashed = try store.markCrashedRuns()
    if !crashed.isEmpty {
      logger.warning("marked crashed runs as failed", metadata: ["runs": "\(crashed.joined(separator: ","))"])
    }
    return store
  }

  /// A read-only connection for user SQL: writes through it fail with SQLite's "readonly database".
  func readOnlyConnection() throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(options.busyTimeout)
    return try ExperimentStore.storeCall(location) {
      try DatabaseQueue(path: location.databaseFile.path, configuration: configuration)
    }
  }

  func write<T>(_ body: (Database) throws -> T) throws -> T {
    do { return try pool.write(body) } catch let error as DatabaseError {
      throw ExperimentsError.sql(message: error.message ?? "\(error)", statement: error.sql ?? "")
    }
  }

  func read<T>(_ body: (Database) throws -> T) throws -> T {
    do { return try pool.read(body) } catch let error as DatabaseError {
      throw ExperimentsError.sql(message: error.message ?? "\(error)", statement: error.sql ?? "")
    }
  }

  private static func storeCall<T>(_ location: StoreLocation, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as DatabaseError {
      throw ExperimentsError.storeUnavailable(
        path: location.databaseFile.path, reason: error.message ?? "\(error)")
    }
  }

  /// Serialises creation and migration between processes that open a fresh store at the same time.
  private static func withMigrationLock<T>(_ location: StoreLocation, _ body: () throws -> T) throws -> T {
    let lockPath = location.home.appendingPathComponent("experiments.lock").path
    let fd = openLockFile(lockPath)
    guard fd >= 0 else {
      throw ExperimentsError.storeUnavailable(
        path: lockPath, reason: "cannot open the lock file (errno \(errno))")
    }
    defer { close(fd) }
    guard flock(fd, LOCK_EX) == 0 else {
      throw ExperimentsError.storeUnavailable(path: lockPath, reason: "cannot lock (errno \(errno))")
    }
    defer { flock(fd, LOCK_UN) }
    return try body()
  }
}

private func openLockFile(_ path: String) -> Int32 {
  open(path, O_RDWR | O_CREAT, 0o644)
}
