import Fluent
import Vapor

/// The migration operations the command line offers, so that only this target touches Fluent
/// (docs DESIGN.md §2).
public enum SchemaMigrations {
    /// Which migrations the application's database has applied.
    public static func status(_ app: Application) async throws -> MigrationStatus {
        try await MigrationStatus.read(on: app.db)
    }

    /// Applies every pending migration as one batch.
    public static func applyPending(_ app: Application) async throws {
        try await app.autoMigrate()
    }

    /// Rolls back the most recent batch.
    public static func revertLastBatch(_ app: Application) async throws {
        try await app.migrator.revertLastBatch().get()
    }

    /// The main job's policy: an SQLite file (the embedded default) is migrated in place; a
    /// PostgreSQL database with pending migrations is refused, since migrating it is an operator's
    /// decision (`rcm migrate --yes`).
    /// - Throws: ``ConfigurationError`` naming the pending migrations' count on PostgreSQL.
    public static func migrateEmbeddedDatabase(_ app: Application, _ configuration: RCMConfiguration) async throws {
        guard case .sqlite = configuration.database else { return try await requireMigrated(app, configuration) }
        guard try await !status(app).pending.isEmpty else { return }
        try await applyPending(app)
    }

    /// Refuses a database with pending migrations (the operator commands that read or change data).
    /// - Throws: ``ConfigurationError`` naming the database and the pending migrations' count.
    public static func requireMigrated(_ app: Application, _ configuration: RCMConfiguration) async throws {
        let pending = try await status(app).pending
        guard !pending.isEmpty else { return }
        throw ConfigurationError(
            "\(configuration.database) has \(pending.count) pending migration(s); run `rcm migrate --yes` first")
    }
}
