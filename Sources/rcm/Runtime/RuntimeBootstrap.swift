import Foundation
import Logging
import RCMServer
import Vapor

/// Start-up shared by the subcommands: configuration, logging and a configured application.
enum RuntimeBootstrap {
    /// Reads the configuration and bootstraps logging once, to standard error.
    /// - Parameter defaultLevel: the level when `LOG_LEVEL` is unset.
    /// - Parameter asGateway: read it for `rcm sandbox`, which *is* the gateway: `HCX_BASE_URL`
    ///   (set in a shell for the RCM side of a demo) is ignored.
    static func configuration(defaultLevel: Logger.Level, asGateway: Bool = false) throws -> RCMConfiguration {
        var environment = ProcessInfo.processInfo.environment
        if asGateway { environment["HCX_BASE_URL"] = nil }
        let configuration = try RCMConfiguration(environment: environment)
        MetricsExport.bootstrap()
        let level = configuration.logLevel ?? defaultLevel
        let json = configuration.logJSON
        LoggingSystem.bootstrap { label in
            if json { return RedactingLogHandler(JSONLogHandler(label: label, level: level)) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return RedactingLogHandler(handler)
        }
        return configuration
    }

    /// Runs `body` with a configured application whose database has answered, and shuts the
    /// application down afterwards, whether `body` succeeds or throws.
    /// - Parameter exclusive: on SQLite, hold the file's process lock meanwhile (commands that write:
    ///   `process`, `migrate`, `serve`), so that a second one stops at once with a clear message.
    /// - Throws: ``RCMServer/ConfigurationError`` in one line when the database cannot be used or is
    ///   in use, or what `body` throws.
    static func withApplication<T>(
        _ configuration: RCMConfiguration, exclusive: Bool, _ body: (Application) async throws -> T
    ) async throws -> T {
        let app = try await Application.make(.production, .singleton, logger: Logger(label: "rcm"))
        let result: T
        do {
            try configure(app, configuration)
            try await DatabaseConnectivity.checkAtStartup(app, location: configuration.database)
            let lock: SQLiteProcessLock? =
                if exclusive, case .sqlite(let path) = configuration.database { try SQLiteProcessLock(path: path) } else
                {
                    nil
                }
            defer { withExtendedLifetime(lock) {} }
            result = try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        return result
    }

    /// ``withApplication(_:exclusive:_:)`` for commands that read or change data: a database with
    /// pending migrations is refused with one line naming `rcm migrate --yes`.
    static func withMigratedApplication<T>(
        _ configuration: RCMConfiguration, exclusive: Bool, _ body: (Application) async throws -> T
    ) async throws -> T {
        try await withApplication(configuration, exclusive: exclusive) { app in
            try await SchemaMigrations.requireMigrated(app, configuration)
            return try await body(app)
        }
    }
}
