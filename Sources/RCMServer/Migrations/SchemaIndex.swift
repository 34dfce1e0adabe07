import Fluent
import SQLKit

/// Creates plain (non-unique) indexes, which Fluent's schema builder does not offer, through
/// SQLKit. Index names are `<table>_<columns>_idx`; dropping a table drops its indexes.
/// `IF NOT EXISTS` (SQLite and PostgreSQL) lets an interrupted migration run again.
enum SchemaIndex {
    static func create(on database: any Database, table: String, columns: [String]) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let name = "\(table)_\(columns.joined(separator: "_"))_idx"
        try await sql.raw(
            "CREATE INDEX IF NOT EXISTS \(ident: name) ON \(ident: table) (\(idents: columns, joinedBy: ", "))"
        ).run()
    }
}
