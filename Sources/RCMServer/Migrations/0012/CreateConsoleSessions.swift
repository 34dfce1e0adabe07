import Fluent

/// `_fluent_sessions`: the console's sessions, as Vapor's Fluent session driver reads and writes
/// them (``ConsoleSession``): a random key (the cookie's value, unique) and the session's data
/// (JSON). The schema is the driver's own (`SessionRecord.Create` in Fluent), under RCM's name.
struct CreateConsoleSessions: AsyncMigration {
    var name: String { "0012_create_console_sessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SessionRecord.schema)
            .id()
            .field("key", .string, .required)
            .field("data", .json, .required)
            .unique(on: "key")
            .ignoreExisting()
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SessionRecord.schema).delete()
    }
}
