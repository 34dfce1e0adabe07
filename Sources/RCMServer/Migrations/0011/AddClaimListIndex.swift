import Fluent
import SQLKit

/// `claims_created_at_id_idx`: the claims list's order, newest first (`created_at DESC, id DESC`,
/// with the cursor's keyset condition), so that a page of `GET /api/v1/claims` reads its rows
/// from the index instead of scanning and sorting every claim (issue 19). Plain `CREATE INDEX`:
/// on a large PostgreSQL table, create it `CONCURRENTLY` by hand first (`IF NOT EXISTS` then
/// skips it).
struct AddClaimListIndex: AsyncMigration {
    var name: String { "0011_add_claim_list_index" }

    func prepare(on database: any Database) async throws {
        try await SchemaIndex.create(on: database, table: ClaimModel.schema, columns: ["created_at", "id"])
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS claims_created_at_id_idx").run()
    }
}
