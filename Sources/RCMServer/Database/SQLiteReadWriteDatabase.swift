import FluentKit
import Logging
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

    var context: DatabaseContext { writer.context }

    var inTransaction: Bool { false }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void)
        -> EventLoopFuture<Void>
    {
        switch query.action {
        case .read, .aggregate: reader.execute(query: query, onOutput: onOutput)
        case .create, .update, .delete, .custom: writer.execute(query: query, onOutput: onOutput)
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

    var logger: Logger { writerSQL.logger }
    var eventLoop: any EventLoop { writerSQL.eventLoop }
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
