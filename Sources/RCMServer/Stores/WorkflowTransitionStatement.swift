import FluentPostgresDriver
import Foundation
import Workflow

/// PostgreSQL: one transition of a workflow run — its state, the steps that changed and their
/// log entries — as one prepared statement of constant text (data-modifying CTEs: atomic without
/// an explicit transaction, one round trip); the run's last transition under a lease gives the lease
/// up in the same statement.
///
/// The constant text lets PostgresNIO prepare it once per connection (no parse and plan per
/// transition), and every parameter is a typed binary binding: the changed steps and the log
/// entries travel column by column as arrays (``PostgresNullableArray``), read back into rows by
/// `unnest`, instead of a dozen bound values per row (binding values one by one through SQLKit cost
/// more than the database's work) or a JSON document (formatting and parsing it cost more than the
/// database's work on the rows; issue 5's benchmark). The step update also names the changed steps
/// in its index condition, so it reads only those rows.
///
/// The rules are the transaction path's (``FluentWorkflowStore``): nothing is written without the
/// lease, and under an operator's PAUSED or CANCELLED a step about to start (`RUNNING` without a
/// wait), its log entry and entries of the run's own status are left out
/// (``Workflow/WorkflowStatus/kept(_:_:)``). The row gives the stored status and how many steps were
/// updated; no row means the lease was lost (or the run is gone).
struct WorkflowTransitionStatement: PostgresPreparedStatement {
    typealias Row = (status: String, updated: Int)

    /// A fixed name: the default, `String(reflecting:)` of the type, is computed at every execution.
    static let name = "rcm.workflow.transition"

    static let sql = """
        WITH s AS (
          UPDATE workflow_state SET
            status = CASE WHEN status IN ('PAUSED', 'CANCELLED') THEN status ELSE $1 END,
            current_step = $2, last_error = $3, next_run_at = $4, updated_at = $5,
            lease_owner = CASE WHEN $8 THEN NULL ELSE lease_owner END,
            lease_expires_at = CASE WHEN $8 THEN NULL ELSE lease_expires_at END
          WHERE id = $6 AND lease_owner = $7
          RETURNING status),
        v AS (
          SELECT * FROM unnest($9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) AS v(name, status, attempts,
            output, last_error, wait_key, wait_deadline, started_at, finished_at, next_attempt_at, duration_ms,
            starting)),
        u AS (
          UPDATE workflow_steps w SET status = v.status, attempts = v.attempts, output = v.output,
            last_error = v.last_error, wait_key = v.wait_key, wait_deadline = v.wait_deadline,
            started_at = v.started_at, finished_at = v.finished_at, next_attempt_at = v.next_attempt_at,
            duration_ms = v.duration_ms
          FROM v, s
          WHERE w.workflow_id = $6 AND w.name = ANY($9) AND w.name = v.name
            AND (s.status NOT IN ('PAUSED', 'CANCELLED') OR NOT v.starting)
          RETURNING w.name),
        g AS (
          SELECT * FROM unnest($21, $22, $23, $24, $25, $26, $27) AS g(step, from_status, to_status, message, actor,
            created_at, dropped_when_stopped)),
        l AS (
          INSERT INTO workflow_logs (workflow_id, step, from_status, to_status, message, actor, created_at)
          SELECT $6, g.step, g.from_status, g.to_status, g.message, g.actor, g.created_at
          FROM g, s WHERE s.status NOT IN ('PAUSED', 'CANCELLED') OR NOT g.dropped_when_stopped)
        SELECT status, (SELECT COUNT(*) FROM u) AS updated FROM s
        """

    static let bindingDataTypes: [PostgresDataType] =
        [.text, .text, .text, .timestamptz, .timestamptz, .text, .text, .bool]
        + WorkflowStepColumns.dataTypes + [.boolArray]
        + [.textArray, .textArray, .textArray, .textArray, .textArray, .timestamptzArray, .boolArray]

    let workflow: WorkflowRecord
    let steps: [StepRecord]
    let log: [WorkflowLogEntry]
    let leaseOwner: String
    /// Give the lease up with this transition (the run's last under this lease).
    let releasingLease: Bool

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 27)
        bindings.append(workflow.status.rawValue)
        bindings.append(workflow.currentStep)
        bindings.append(workflow.lastError)
        bindings.append(workflow.nextRunAt)
        bindings.append(workflow.updatedAt)
        bindings.append(workflow.id.rawValue)
        bindings.append(leaseOwner)
        bindings.append(releasingLease)
        let starting = steps.startingNames
        WorkflowStepColumns.append(steps, to: &bindings)
        bindings.append(steps.map { starting.contains($0.name) })
        bindings.append(PostgresNullableArray(log.map(\.step)))
        bindings.append(PostgresNullableArray(log.map(\.fromStatus)))
        bindings.append(log.map(\.toStatus))
        bindings.append(PostgresNullableArray(log.map(\.message)))
        bindings.append(log.map(\.actor))
        bindings.append(log.map(\.at))
        bindings.append(log.map { $0.isDropped(whenStopped: starting) })
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (status, updated) = try row.decode((String, Int).self)
        return (status, updated)
    }
}
