import Fluent
import SQLKit

/// `claims.denial_category` and `claims.denial_at_stake_minor`, the denial work queue's keys
/// (``ClaimModel/denialQueueKeys(lines:)``), with two partial indexes over the claims that have
/// them — `claims_denial_queue_idx` (the queue's order) and `claims_denial_queue_category_idx` (one
/// category) — and the keys of the claims already denied or stopped. The queue classified up to
/// 5,000 claims per request before; at 100,000 claims no request finished within 10 s at 50
/// connections (issue 22). One transaction: an interrupted run leaves nothing behind. Classifying
/// the existing claims reads them 1,000 at a time (about a minute per 100,000 denied claims).
struct AddDenialQueueColumns: AsyncMigration {
    var name: String { "0015_add_denial_queue_columns" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(ClaimModel.schema).field(.string(ClaimModel.denialCategoryColumn), .string)
                .update()
            try await database.schema(ClaimModel.schema).field(.string(ClaimModel.denialAtStakeColumn), .int64)
                .update()
            guard let sql = database as? any SQLDatabase else { return }
            let category = ClaimModel.denialCategoryColumn
            let stake = ClaimModel.denialAtStakeColumn
            try await sql.raw(
                """
                CREATE INDEX IF NOT EXISTS claims_denial_queue_idx ON \(ident: ClaimModel.schema)
                (\(ident: stake) DESC, date_of_service, id) WHERE \(ident: category) IS NOT NULL
                """
            ).run()
            try await sql.raw(
                """
                CREATE INDEX IF NOT EXISTS claims_denial_queue_category_idx ON \(ident: ClaimModel.schema)
                (\(ident: category), \(ident: stake) DESC, date_of_service, id) WHERE \(ident: category) IS NOT NULL
                """
            ).run()
            _ = try await ClaimModel.reclassifyDenials(on: sql)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { database in
            if let sql = database as? any SQLDatabase {
                try await sql.raw("DROP INDEX IF EXISTS claims_denial_queue_category_idx").run()
                try await sql.raw("DROP INDEX IF EXISTS claims_denial_queue_idx").run()
            }
            try await database.schema(ClaimModel.schema).deleteField(.string(ClaimModel.denialAtStakeColumn)).update()
            try await database.schema(ClaimModel.schema).deleteField(.string(ClaimModel.denialCategoryColumn)).update()
        }
    }
}
