import FluentPostgresDriver
import Foundation
import Workflow

/// PostgreSQL: a worker's claim — lease the next due run and read it with its steps — in one
/// round trip, as a prepared statement of constant text (see ``WorkflowTransitionStatement`` for
/// why prepared and typed).
///
/// Due: status `PENDING` or `IN_PROGRESS`, `next_run_at` unset or not after `now`, no lease or an
/// expired one; the earliest due first (runs due at once, `next_run_at` unset, before all), then
/// the oldest — the order of the partial index `workflow_state_due_idx`. `FOR UPDATE SKIP LOCKED`
/// lets several worker processes claim at once without waiting on each other; the lease condition
/// is checked again on the locked row. Rows as ``WorkflowRunStatement``'s; none when nothing is due.
struct WorkflowClaimStatement: PostgresPreparedStatement {
    typealias Row = WorkflowRunStatement.Row

    static let sql = """
        WITH w AS (
          UPDATE workflow_state SET lease_owner = $1, lease_expires_at = $2
          WHERE id = (
            SELECT id FROM workflow_state
            WHERE status IN ('PENDING', 'IN_PROGRESS') AND (next_run_at IS NULL OR next_run_at <= $3)
              AND (lease_expires_at IS NULL OR lease_expires_at < $3)
            ORDER BY next_run_at NULLS FIRST, created_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED)
            AND (lease_expires_at IS NULL OR lease_expires_at < $3)
          RETURNING *)
        SELECT \(WorkflowRunStatement.columns)
        FROM w LEFT JOIN workflow_steps s ON s.workflow_id = w.id
        ORDER BY s.position
        """

    static let bindingDataTypes: [PostgresDataType] = [.text, .timestamptz, .timestamptz]

    let owner: String
    /// When the lease ends unless renewed.
    let until: Date
    let now: Date

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(owner)
        bindings.append(until)
        bindings.append(now)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try WorkflowRunStatement.decodeRun(row) }
}
