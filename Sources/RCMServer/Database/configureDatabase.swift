import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Vapor

/// Registers the database named by the configuration as the default Fluent database.
///
/// PostgreSQL gets a pool on each event loop, of ``postgresConnectionsPerEventLoop(poolSize:eventLoops:)``
/// connections (a transaction held by one task must not starve another task's query). SQLite
/// opens the file, creating it and its folder, with one writer connection for the whole process
/// and a pool of readers (``SQLiteSingleWriter``).
/// - Parameter poolSize: the most PostgreSQL connections this process opens (`RCM_DB_POOL_SIZE`);
///   `nil` = 8 per event loop.
/// - Throws: ``ConfigurationError`` when the PostgreSQL TLS context cannot be made or the SQLite
///   folder cannot be created.
public func configureDatabase(_ app: Application, _ location: DatabaseLocation, poolSize: Int? = nil) throws {
    switch location {
    case .sqlite(let path):
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError("DATABASE_URL: cannot create the folder \(folder.path) for the SQLite file")
        }
        app.databases.use(
            DatabaseConfigurationFactory {
                ChangeScopedDatabase.Configuration(
                    base: SQLiteSingleWriter(
                        base: DatabaseConfigurationFactory.sqlite(
                            .file(path), connectionPoolTimeout: .seconds(SQLiteSingleWriter.waitSeconds)
                        ).make()))
            },
            as: .sqlite)
    case .postgres(let postgres):
        let configuration: SQLPostgresConfiguration
        do {
            configuration = try postgres.configuration()
        } catch {
            throw ConfigurationError("DATABASE_URL: cannot set up TLS for sslmode=\(postgres.sslMode): \(error)")
        }
        let postgres = DatabaseConfigurationFactory.postgres(
            configuration: configuration,
            maxConnectionsPerEventLoop: postgresConnectionsPerEventLoop(
                poolSize: poolSize, eventLoops: eventLoopCount(app)),
            connectionPoolTimeout: .seconds(10))
        app.databases.use(
            DatabaseConfigurationFactory { ChangeScopedDatabase.Configuration(base: postgres.make()) }, as: .psql)
    }
}

/// Pooled PostgreSQL connections per event loop (one event loop per core, as SwiftNIO counts cores:
/// the container's CPU limit on Linux): `poolSize` spread evenly over `eventLoops`, rounded down,
/// at least 1; without a pool size, 8. Requests and worker loops are spread over the event loops
/// unevenly, so with 4 per loop, 8 worker loops on 2 cores queued for connections while the cores
/// were a quarter idle (issue 5's benchmark: 2,300 steps/s with 4, 2,800 with 8).
public func postgresConnectionsPerEventLoop(poolSize: Int?, eventLoops: Int) -> Int {
    guard let poolSize else { return 8 }
    return max(1, poolSize / max(1, eventLoops))
}

/// The most PostgreSQL connections this application's pool opens for `poolSize`
/// (`RCM_DB_POOL_SIZE`): connections per event loop times event loops.
public func postgresConnectionLimit(_ app: Application, poolSize: Int?) -> Int {
    let eventLoops = eventLoopCount(app)
    return postgresConnectionsPerEventLoop(poolSize: poolSize, eventLoops: eventLoops) * eventLoops
}

private func eventLoopCount(_ app: Application) -> Int {
    app.eventLoopGroup.makeIterator().reduce(0) { count, _ in count + 1 }
}
