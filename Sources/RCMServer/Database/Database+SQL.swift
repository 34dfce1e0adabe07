import FluentKit
import SQLKit

extension Database {
    /// This database as SQLKit's: every Fluent driver RCM uses (PostgreSQL, SQLite, and
    /// ``ChangeScopedDatabase`` over them) is one. For the stores' plain-SQL reads and writes.
    /// - Throws: ``StoredDataError`` for a database that speaks no SQL.
    var sql: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else {
                throw StoredDataError(column: "(database)", value: "\(type(of: self)) is not an SQL database")
            }
            return sql
        }
    }
}
