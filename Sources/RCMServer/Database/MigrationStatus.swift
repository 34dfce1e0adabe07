import Fluent
import SQLKit

/// Which of RCM's migrations a database has applied, read from Fluent's `_fluent_migrations`.
public struct MigrationStatus: Sendable, Codable, Hashable {
    /// One migration.
    public struct Entry: Sendable, Codable, Hashable {
        public let name: String
        public let applied: Bool
        /// The batch it was applied in (`rcm migrate --revert` rolls back the highest batch).
        public let batch: Int?
    }

    /// Every migration RCM knows, in order.
    public let entries: [Entry]

    /// Names of migrations not yet applied.
    public var pending: [String] { entries.filter { !$0.applied }.map(\.name) }

    /// Reads the status.
    /// - Throws: when the database cannot be queried (a missing `_fluent_migrations` table means
    ///   nothing is applied, not an error).
    public static func read(on database: any Database) async throws -> MigrationStatus {
        let applied: [String: Int]
        do {
            applied = Dictionary(
                try await MigrationLog.query(on: database).all().map { ($0.name, $0.batch) },
                uniquingKeysWith: { first, _ in first })
        } catch {
            // Distinguish "never migrated" (table missing) from "database down".
            if let sql = database as? any SQLDatabase { try await sql.raw("SELECT 1").run() }
            applied = [:]
        }
        return MigrationStatus(
            entries: RCMMigrations.names.map { Entry(name: $0, applied: applied[$0] != nil, batch: applied[$0]) })
    }
}
