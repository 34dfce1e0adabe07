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

    /// A configured application whose database has answered.
    /// - Throws: ``RCMServer/ConfigurationError`` in one line when the database cannot be used.
    static func application(_ configuration: RCMConfiguration) async throws -> Application {
        let app = try await Application.make(.production, .singleton, logger: Logger(label: "rcm"))
        do {
            try configure(app, configuration)
            try await DatabaseConnectivity.checkAtStartup(app, location: configuration.database)
            return app
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
