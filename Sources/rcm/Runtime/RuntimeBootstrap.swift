import Foundation
import Logging
import RCMServer
import Vapor

/// Start-up shared by the subcommands: configuration, logging and a configured application.
enum RuntimeBootstrap {
    /// Reads the configuration and bootstraps logging once, to standard error.
    /// - Parameter defaultLevel: the level when `LOG_LEVEL` is unset.
    static func configuration(defaultLevel: Logger.Level) throws -> RCMConfiguration {
        let configuration = try RCMConfiguration()
        let level = configuration.logLevel ?? defaultLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return configuration
    }

    /// Runs `body` with a configured application whose database has answered, and shuts the
    /// application down afterwards, whether `body` succeeds or throws.
    /// - Throws: ``RCMServer/ConfigurationError`` in one line when the database cannot be used, or
    ///   what `body` throws.
    static func withApplication<T>(
        _ configuration: RCMConfiguration, _ body: (Application) async throws -> T
    ) async throws -> T {
        let app = try await Application.make(.production, .singleton, logger: Logger(label: "rcm"))
        let result: T
        do {
            try configure(app, configuration)
            try await DatabaseConnectivity.checkAtStartup(app, location: configuration.database)
            result = try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        return result
    }
}
