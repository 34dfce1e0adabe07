import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOCore
import SQLKit
import Vapor

/// Checks that the configured database answers, and turns driver failures into one clear line.
public enum DatabaseConnectivity {
    /// Runs `SELECT 1` on the default database.
    /// - Throws: ``ConfigurationError``: "cannot reach PostgreSQL at host:port (connection refused)",
    ///   "PostgreSQL rejected the credentials for user 'u'", "database 'd' does not exist", or
    ///   "cannot open SQLite file …" — never the password.
    public static func check(_ database: any Database, location: DatabaseLocation) async throws {
        do {
            guard let sql = database as? any SQLDatabase else { return }
            try await sql.raw("SELECT 1").run()
        } catch {
            throw describe(error, location: location)
        }
    }

    /// Start-up check: like ``check(_:location:)`` on the application's default database, but
    /// without the driver's own error log line, so that a failure prints only the one clear line.
    /// An SQLite file is switched to write-ahead logging (`journal_mode=WAL`, kept in the file;
    /// `synchronous` stays `FULL`, so a committed transition survives a power cut): readers such as
    /// `rcm workflows list` do not block the writer, and a commit costs one sync, not several.
    public static func checkAtStartup(_ app: Application, location: DatabaseLocation) async throws {
        var quiet = Logger(label: "rcm.database-check")
        quiet.logLevel = .critical
        guard let database = app.databases.database(logger: quiet, on: app.eventLoopGroup.any()) else { return }
        try await check(database, location: location)
        if case .sqlite = location, let sql = database as? any SQLDatabase {
            do {
                try await sql.raw("PRAGMA journal_mode=WAL").run()
            } catch {
                throw describe(error, location: location)
            }
        }
    }

    /// The one-line description of a connection failure.
    public static func describe(_ error: any Error, location: DatabaseLocation) -> ConfigurationError {
        switch location {
        case .sqlite(let path):
            return ConfigurationError("cannot open SQLite file \(path): \(error)")
        case .postgres(let postgres):
            let place = postgres.place
            if let psql = error as? PSQLError {
                switch psql.serverInfo?[.sqlState] {
                case "28P01", "28000":
                    return ConfigurationError(
                        "PostgreSQL at \(place) rejected the credentials for user '\(postgres.username)' (check DATABASE_URL)"
                    )
                case "3D000":
                    return ConfigurationError(
                        "PostgreSQL at \(place) has no database '\(postgres.database)' (check DATABASE_URL)")
                case let state?:
                    return ConfigurationError(
                        "PostgreSQL at \(place) refused the connection: \(psql.serverInfo?[.message] ?? "SQLSTATE \(state)")"
                    )
                case nil:
                    break
                }
                if psql.code == .sslUnsupported {
                    return ConfigurationError(
                        "PostgreSQL at \(place) does not offer TLS but sslmode=\(postgres.sslMode) requires it")
                }
                let reason = psql.underlying.map { connectionReason($0) } ?? "\(psql.code)"
                return ConfigurationError("cannot reach PostgreSQL at \(place) (\(reason))")
            }
            return ConfigurationError("cannot reach PostgreSQL at \(place) (\(connectionReason(error)))")
        }
    }

    private static func connectionReason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("refused") { return "connection refused" }
        if text.lowercased().contains("timed out") || text.contains("timeout") { return "connection timed out" }
        if text.contains("resolve") || text.contains("NXDOMAIN") || text.contains("not known") {
            return "host name not found"
        }
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }
}
