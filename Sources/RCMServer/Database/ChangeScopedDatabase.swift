import FluentKit
import FluentPostgresDriver
import Logging
import NIOCore
import SQLKit

/// The application's database as every store sees it: each operation goes to the transaction of
/// the change open in the calling task (``ChangeTransaction/current``) when there is one, else to
/// the database itself (Fluent's PostgreSQL database, or ``SQLiteReadWriteDatabase``). A
/// transaction asked for inside an open change joins it. ``configureDatabase(_:_:poolSize:)``
/// registers every database this way, so a store added later joins changes without knowing of
/// them.
struct ChangeScopedDatabase: Database, SQLDatabase {
    let base: any Database

    /// Where this operation goes.
    private var target: any Database { ChangeTransaction.current ?? base }
    // Fluent's SQL drivers' databases, and their transactions, are SQL databases.
    private var targetSQL: any SQLDatabase { target as! any SQLDatabase }

    /// PostgreSQL's own interface, for prepared statements on pooled connections, when no change is
    /// open in this task (inside one, a store writes through the change's transaction).
    var postgresOutsideChange: (any PostgresDatabase)? {
        ChangeTransaction.current == nil ? base as? any PostgresDatabase : nil
    }

    // MARK: Database

    var context: DatabaseContext { target.context }

    var inTransaction: Bool { ChangeTransaction.current != nil || base.inTransaction }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void)
        -> EventLoopFuture<Void>
    {
        target.execute(query: query, onOutput: onOutput)
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { target.execute(schema: schema) }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { target.execute(enum: `enum`) }

    /// Outside a change, a transaction of the database. Inside one, a savepoint of the change's
    /// transaction: when `closure` fails, what it wrote is undone and the change can go on — a store
    /// that meets a key another request took (a duplicate payment, an encounter taken in twice at
    /// once) catches the error and reads the existing row, which PostgreSQL refuses in a transaction
    /// aborted by the error unless it was rolled back to a savepoint.
    func transaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>)
        -> EventLoopFuture<T>
    {
        guard let current = ChangeTransaction.current else { return base.transaction(closure) }
        let sql = current as! any SQLDatabase
        // The same name at every depth: SAVEPOINT shadows it, RELEASE and ROLLBACK TO take the newest.
        return sql.raw("SAVEPOINT rcm_nested").run().flatMap {
            // The callback runs on the event loop, outside the caller's task: the change goes with it.
            ChangeTransaction.$current.withValue(current) { closure(current) }.flatMap { result in
                sql.raw("RELEASE SAVEPOINT rcm_nested").run().map { result }
            }.flatMapError { error in
                sql.raw("ROLLBACK TO SAVEPOINT rcm_nested").run()
                    .flatMap { sql.raw("RELEASE SAVEPOINT rcm_nested").run() }
                    .flatMapThrowing { throw error }
            }
        }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        if let current = ChangeTransaction.current { return closure(current) }
        return base.withConnection(closure)
    }

    // MARK: SQLDatabase

    var logger: Logger { targetSQL.logger }
    var eventLoop: any EventLoop { targetSQL.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { targetSQL.version }
    var dialect: any SQLDialect { targetSQL.dialect }
    var queryLogLevel: Logger.Level? { targetSQL.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        targetSQL.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await targetSQL.execute(sql: query, onRow)
    }

    /// Registers databases made by `base`, each seen through ``ChangeScopedDatabase``.
    struct Configuration: DatabaseConfiguration {
        var base: any DatabaseConfiguration

        var middleware: [any AnyModelMiddleware] {
            get { base.middleware }
            set { base.middleware = newValue }
        }

        func makeDriver(for databases: Databases) -> any DatabaseDriver {
            Driver(base: base.makeDriver(for: databases))
        }
    }

    struct Driver: DatabaseDriver {
        let base: any DatabaseDriver

        func makeDatabase(with context: DatabaseContext) -> any Database {
            ChangeScopedDatabase(base: base.makeDatabase(with: context))
        }

        func shutdown() { base.shutdown() }

        func shutdownAsync() async { await base.shutdownAsync() }
    }
}

extension Database {
    /// PostgreSQL's own interface of this database, outside an open change (see
    /// ``ChangeScopedDatabase/postgresOutsideChange``); `nil` for SQLite or inside a change.
    var postgresOutsideChange: (any PostgresDatabase)? {
        if let scoped = self as? ChangeScopedDatabase { return scoped.postgresOutsideChange }
        return ChangeTransaction.current == nil ? self as? any PostgresDatabase : nil
    }
}
