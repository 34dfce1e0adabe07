import FluentPostgresDriver
import Foundation
import Workflow

/// PostgreSQL: a worker's claim — lease the next due run — as a prepared statement of constant
/// text (see ``WorkflowTransitionStatement`` for why prepared and typed), returning the leased run's id.
///
/// Due: status `PENDING` or `IN_PROGRESS`, `next_run_at` unset or not after `now`, no lease or an
/// expired one; in due order, `COALESCE(next_run_at, created_at)` (a new run is due when created),
/// the order of the partial index `workflow_state_due_idx`. `FOR UPDATE SKIP LOCKED` lets several
/// worker processes claim at once without waiting on each other; the lease condition is checked
/// again on the locked row. The run is read by the next statement, after this one commits (see
/// ``WorkflowRunStatement`` for why not here).
struct WorkflowClaimStatement: PostgresPreparedStatement {
    typealias Row = WorkflowID

    /// A fixed name (see ``WorkflowTransitionStatement/name``).
    static let name = "rcm.workflow.claim"

    static let sql = """
        UPDATE workflow_state SET lease_owner = $1, lease_expires_at = $2
        WHERE id = (
          SELECT id FROM workflow_state
          WHERE status IN ('PENDING', 'IN_PROGRESS') AND (next_run_at IS NULL OR next_run_at <= $3)
            AND (lease_expires_at IS NULL OR lease_expires_at < $3)
          ORDER BY COALESCE(next_run_at, created_at)
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
          AND (lease_expires_at IS NULL OR lease_expires_at < $3)
        RETURNING id
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

    func decodeRow(_ row: PostgresRow) throws -> Row { WorkflowID(try row.decode(String.self)) }
}
