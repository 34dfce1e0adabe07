import FluentKit

/// The transaction of the change being made in this task, joined by every store that works on the
/// application's database (``ChangeScopedDatabase``): a request that changes data, its audit entry
/// and every row it writes commit together or not at all (issue 19: "an audit entry is written in
/// the same transaction as the change it records — a change without its entry must be impossible").
///
/// Open one with ``run(on:_:)``; ``AuditTrail/append(_:at:)`` writes into it rather than into the
/// next group commit. Tasks that outlive the change (the audit chain's group-commit writer) leave it
/// with `ChangeTransaction.$current.withValue(nil)`.
public enum ChangeTransaction {
    /// The open change's transaction, or `nil` outside one.
    @TaskLocal public static var current: (any Database)?

    /// Runs `change` in one transaction of `database`; the stores that `change` calls write in it.
    /// Inside an open change, `change` joins it. Everything `change` wrote is rolled back when it
    /// throws (the error is rethrown as it was).
    public static func run<T: Sendable>(
        on database: any Database, _ change: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        if let current { return try await change(current) }
        return try await database.transaction { transaction in
            try await $current.withValue(transaction) { try await change(transaction) }
        }
    }

    /// Runs `body` on `database`; inside an open change, as a savepoint of it (a transaction there,
    /// ``ChangeScopedDatabase/transaction(_:)``), so that an error `body`'s caller expects and
    /// catches — a unique key another request took — leaves the change usable (PostgreSQL refuses
    /// every further statement of a transaction aborted by an error). Outside a change, `body` runs
    /// as it is, at no extra cost.
    static func savepoint<T: Sendable>(
        on database: any Database, _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        guard current != nil else { return try await body(database) }
        return try await database.transaction { try await body($0) }
    }
}
