import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Vapor

/// Registers the database named by the configuration as the default Fluent database.
///
/// PostgreSQL gets a pool of up to 4 connections per event loop (a transaction held by one task
/// must not starve another task's query). SQLite opens the file, creating it and its folder.
/// - Throws: ``ConfigurationError`` when the PostgreSQL TLS context cannot be made or the SQLite
///   folder cannot be created.
public func configureDatabase(_ app: Application, _ location: DatabaseLocation) throws {
    switch location {
    case .sqlite(let path):
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError("DATABASE_URL: cannot create the folder \(folder.path) for the SQLite file")
        }
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let postgres):
        let configuration: SQLPostgresConfiguration
        do {
            configuration = try postgres.configuration()
        } catch {
            throw ConfigurationError("DATABASE_URL: cannot set up TLS for sslmode=\(postgres.sslMode): \(error)")
        }
        app.databases.use(
            .postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(10)),
            as: .psql)
    }
}
