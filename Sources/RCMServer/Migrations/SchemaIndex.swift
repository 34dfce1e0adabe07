import Fluent
import SQLKit

/// Creates plain (non-unique) indexes, which Fluent's schema builder does not offer, through
/// SQLKit. Index names are `<table>_<columns>_idx`; dropping a table drops its indexes.
enum SchemaIndex {
    static func create(on database: any Database, table: String, columns: [String]) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        var builder = sql.create(index: "\(table)_\(columns.joined(separator: "_"))_idx").on(table)
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}
