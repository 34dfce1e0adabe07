import FluentKit
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

/// One SQLite database seen through two handles (``SQLiteSingleWriter``): reads outside a
/// transaction — Fluent `read` and aggregate queries, raw SQL that begins with `SELECT` — go to
/// the reader pool; everything else (creates, updates, deletes, schema changes, every
/// transaction, raw SQL of any other kind, `withConnection`) to the one writer connection. A read
/// sees every committed write (each statement outside a transaction is a read transaction of its
/// own), so a request reads what it wrote before.
struct SQLiteReadWriteDatabase: Database, SQLDatabase {
    let writer: any Database
    let reader: any Database

    // MARK: Database

    /// The reader's: the event loop of whoever asked for this database (a request's), where Fluent's
    /// query builder expects every answer.
    var context: DatabaseContext { reader.context }

    var inTransaction: Bool { false }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void)
        -> EventLoopFuture<Void>
    {
        switch query.action {
        case .read, .aggregate:
            return reader.execute(query: query, onOutput: onOutput)
        case .create, .update, .delete, .custom:
            // The writer answers on its own event loop: its rows are handed over on this database's,
            // in order, once the statement is done (Fluent's query builder checks the loop).
            let rows = NIOLockedValueBox<[any DatabaseOutput]>([])
            let loop = context.eventLoop
            return writer.execute(query: query) { row in rows.withLockedValue { $0.append(row) } }
                .hop(to: loop)
                .map { for row in rows.withLockedValue({ $0 }) { onOutput(row) } }
        }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { writer.execute(schema: schema) }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { writer.execute(enum: `enum`) }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        writer.transaction(closure)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        writer.withConnection(closure)
    }

    // MARK: SQLDatabase

    // Fluent's SQLite databases are SQL databases.
    private var writerSQL: any SQLDatabase { writer as! any SQLDatabase }
    private var readerSQL: any SQLDatabase { reader as! any SQLDatabase }

    var logger: Logger { readerSQL.logger }
    var eventLoop: any EventLoop { readerSQL.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { writerSQL.version }
    var dialect: any SQLDialect { writerSQL.dialect }
    var queryLogLevel: Logger.Level? { writerSQL.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        handle(for: query).execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await handle(for: query).execute(sql: query, onRow)
    }

    /// The reader for a statement that only reads (`SELECT …`), else the writer.
    private func handle(for query: any SQLExpression) -> any SQLDatabase {
        let text = writerSQL.serialize(query).sql.drop { $0 == " " || $0 == "\n" || $0 == "(" }
        return text.prefix(6).uppercased() == "SELECT" ? readerSQL : writerSQL
    }
}
