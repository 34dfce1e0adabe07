import FluentPostgresDriver
import Foundation
import Workflow

/// PostgreSQL: transitions of several workflow runs — each run's state, the steps that changed and
/// their log entries — as one prepared statement of constant text (data-modifying CTEs: atomic, one
/// statement and one commit for all of them; the store runs it between `BEGIN` and `COMMIT` so that
/// it counts as saved only once committed, see ``FluentWorkflowStore``); a run's last transition
/// under a lease gives the lease up in the same statement. ``WorkflowGroupCommit`` gathers the
/// transitions that workers save at the same time into one execution.
///
/// The constant text lets PostgresNIO prepare it once per connection (no parse and plan per
/// execution), and every parameter is a typed binary binding: the runs, the changed steps and the
/// log entries travel column by column as arrays (``PostgresNullableArray``), read back into rows
/// by `unnest`, instead of bound values per row (binding values one by one through SQLKit cost more
/// than the database's work) or a JSON document (formatting and parsing it cost more than the
/// database's work on the rows; issue 5's benchmark). Steps and log entries name their run.
///
/// The rules are the transaction path's (``FluentWorkflowStore``), run by run: nothing of a run is
/// written without its lease, and under an operator's PAUSED or CANCELLED a step about to start
/// (`RUNNING` without a wait), its log entry and entries of the run's own status are left out
/// (``Workflow/WorkflowStatus/kept(_:_:)``). Log entries are appended in the order given. One row per
/// run written: its id, stored status and how many of its steps were updated; a run without a row
/// lost its lease (or is gone). A batch never holds two transitions of one run.
///
/// The runs' rows are locked `FOR UPDATE SKIP LOCKED`: a run whose row another session holds locked
/// (an operator's change in its transaction, a `SELECT … FOR UPDATE` in psql) is not written and
/// gets a row marked `busy`, and the rest of the batch goes on, instead of the whole statement —
/// and every worker whose transition it carries — waiting on that one lock (issue 19).
/// ``FluentWorkflowStore`` saves a busy run's transition again.
struct WorkflowTransitionStatement: PostgresPreparedStatement {
    /// `busy`: the run's row was locked elsewhere and nothing of it was written (`status` empty).
    typealias Row = (id: String, status: String, updated: Int, busy: Bool)

    /// A fixed name: the default, `String(reflecting:)` of the type, is computed at every execution.
    static let name = "rcm.workflow.transitions"

    static let sql = """
        WITH t AS (
          SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8) AS t(id, status, current_step, last_error, next_run_at,
            updated_at, lease_owner, releasing)),
        k AS (
          SELECT id FROM workflow_state WHERE id = ANY($1) FOR UPDATE SKIP LOCKED),
        s AS (
          UPDATE workflow_state w SET
            status = CASE WHEN w.status IN ('PAUSED', 'CANCELLED') THEN w.status ELSE t.status END,
            current_step = t.current_step, last_error = t.last_error, next_run_at = t.next_run_at,
            updated_at = t.updated_at,
            lease_owner = CASE WHEN t.releasing THEN NULL ELSE w.lease_owner END,
            lease_expires_at = CASE WHEN t.releasing THEN NULL ELSE w.lease_expires_at END
          FROM t JOIN k ON k.id = t.id
          WHERE w.id = ANY($1) AND w.id = t.id AND w.lease_owner = t.lease_owner
          RETURNING w.id, w.status),
        v AS (
          SELECT * FROM unnest($9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) AS v(workflow_id, name,
            status, attempts, output, last_error, wait_key, wait_deadline, started_at, finished_at, next_attempt_at,
            duration_ms, starting)),
        u AS (
          UPDATE workflow_steps w SET status = v.status, attempts = v.attempts, output = v.output,
            last_error = v.last_error, wait_key = v.wait_key, wait_deadline = v.wait_deadline,
            started_at = v.started_at, finished_at = v.finished_at, next_attempt_at = v.next_attempt_at,
            duration_ms = v.duration_ms
          FROM v JOIN s ON s.id = v.workflow_id
          WHERE w.workflow_id = v.workflow_id AND w.name = v.name
            AND (s.status NOT IN ('PAUSED', 'CANCELLED') OR NOT v.starting)
          RETURNING w.workflow_id),
        g AS (
          SELECT * FROM unnest($22, $23, $24, $25, $26, $27, $28, $29) WITH ORDINALITY AS g(workflow_id, step,
            from_status, to_status, message, actor, created_at, dropped_when_stopped, position)),
        l AS (
          INSERT INTO workflow_logs (workflow_id, step, from_status, to_status, message, actor, created_at)
          SELECT g.workflow_id, g.step, g.from_status, g.to_status, g.message, g.actor, g.created_at
          FROM g JOIN s ON s.id = g.workflow_id
          WHERE s.status NOT IN ('PAUSED', 'CANCELLED') OR NOT g.dropped_when_stopped
          ORDER BY g.position)
        SELECT s.id, s.status, (SELECT COUNT(*) FROM u WHERE u.workflow_id = s.id) AS updated, false AS busy FROM s
        UNION ALL
        SELECT t.id, '', 0, true FROM t
        WHERE t.id NOT IN (SELECT id FROM k) AND EXISTS (SELECT 1 FROM workflow_state x WHERE x.id = t.id)
        """

    static let bindingDataTypes: [PostgresDataType] =
        [.textArray, .textArray, .textArray, .textArray, .timestamptzArray, .timestamptzArray, .textArray, .boolArray]
        + [.textArray] + WorkflowStepColumns.dataTypes + [.boolArray]
        + [.textArray, .textArray, .textArray, .textArray, .textArray, .textArray, .timestamptzArray, .boolArray]

    /// At most one per run.
    let transitions: [WorkflowTransition]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 29)
        let runs = transitions.map(\.workflow)
        bindings.append(runs.map(\.id.rawValue))
        bindings.append(runs.map(\.status.rawValue))
        bindings.append(PostgresNullableArray(runs.map(\.currentStep)))
        bindings.append(PostgresNullableArray(runs.map(\.lastError)))
        bindings.append(PostgresNullableArray(runs.map(\.nextRunAt)))
        bindings.append(runs.map(\.updatedAt))
        bindings.append(transitions.map(\.leaseOwner))
        bindings.append(transitions.map(\.releasingLease))
        var steps: [StepRecord] = []
        var starting: [Bool] = []
        var log: [WorkflowLogEntry] = []
        var dropped: [Bool] = []
        for transition in transitions {
            let names = transition.steps.startingNames
            steps += transition.steps
            starting += transition.steps.map { names.contains($0.name) }
            log += transition.log
            dropped += transition.log.map { $0.isDropped(whenStopped: names) }
        }
        bindings.append(steps.map(\.workflowID.rawValue))
        WorkflowStepColumns.append(steps, to: &bindings)
        bindings.append(starting)
        bindings.append(log.map(\.workflowID.rawValue))
        bindings.append(PostgresNullableArray(log.map(\.step)))
        bindings.append(PostgresNullableArray(log.map(\.fromStatus)))
        bindings.append(log.map(\.toStatus))
        bindings.append(PostgresNullableArray(log.map(\.message)))
        bindings.append(log.map(\.actor))
        bindings.append(log.map(\.at))
        bindings.append(dropped)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (id, status, updated, busy) = try row.decode((String, String, Int, Bool).self)
        return (id, status, updated, busy)
    }
}
