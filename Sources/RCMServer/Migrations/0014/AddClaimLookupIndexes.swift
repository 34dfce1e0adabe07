import Fluent
import SQLKit

/// `claims_identifier_value_identifier_system_idx` and `claims_patient_reference_date_of_service_idx`:
/// the look-ups every claim cycle makes — intake's "taken in before with this business identifier",
/// payment posting's match by identifier, the scrub's duplicate edit (same patient and date of
/// service) — read from an index instead of scanning every claim. At a million claims on
/// PostgreSQL the scan made `rcm process` wait on the database: 3.5 claims/s against 26 on an
/// empty one (issue 22). Plain `CREATE INDEX`: on a large PostgreSQL table, create them
/// `CONCURRENTLY` by hand first (`IF NOT EXISTS` then skips them).
struct AddClaimLookupIndexes: AsyncMigration {
    var name: String { "0014_add_claim_lookup_indexes" }

    func prepare(on database: any Database) async throws {
        try await SchemaIndex.create(
            on: database, table: ClaimModel.schema, columns: ["identifier_value", "identifier_system"])
        try await SchemaIndex.create(
            on: database, table: ClaimModel.schema, columns: ["patient_reference", "date_of_service"])
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS claims_identifier_value_identifier_system_idx").run()
        try await sql.raw("DROP INDEX IF EXISTS claims_patient_reference_date_of_service_idx").run()
    }
}
