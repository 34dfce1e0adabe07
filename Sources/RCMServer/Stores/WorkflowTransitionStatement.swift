import FHIR
import FluentPostgresDriver
import Foundation
import Workflow

/// PostgreSQL: one transition of a workflow run — its state, the steps that changed and their
/// log entries — as one prepared statement of constant text (data-modifying CTEs: atomic without
/// an explicit transaction, one round trip); the run's last transition under a lease gives the lease
/// up in the same statement.
///
/// The constant text lets PostgresNIO prepare it once per connection (no parse and plan per
/// transition), and its ten parameters are typed bindings: the changed steps and the log entries
/// travel as one `jsonb` array each, read by `jsonb_to_recordset`, instead of a dozen bound values
/// per row (binding values one by one through SQLKit cost more than the database's work; issue 5's
/// benchmark). Times travel as whole microseconds since 2000-01-01 UTC, PostgreSQL's own epoch,
/// computed as PostgresNIO computes them for bound dates, so a time reads back as if bound.
///
/// The rules are the transaction path's (``FluentWorkflowStore``): nothing is written without the
/// lease, and under an operator's PAUSED or CANCELLED a step about to start (`RUNNING` without a
/// wait), its log entry and entries of the run's own status are left out
/// (``Workflow/WorkflowStatus/kept(_:_:)``). The row gives the stored status and how many steps were
/// updated; no row means the lease was lost (or the run is gone).
struct WorkflowTransitionStatement: PostgresPreparedStatement {
    typealias Row = (status: String, updated: Int)

    static let sql = """
        WITH s AS (
          UPDATE workflow_state SET
            status = CASE WHEN status IN ('PAUSED', 'CANCELLED') THEN status ELSE $1 END,
            current_step = $2, last_error = $3, next_run_at = $4, updated_at = $5,
            lease_owner = CASE WHEN $10 THEN NULL ELSE lease_owner END,
            lease_expires_at = CASE WHEN $10 THEN NULL ELSE lease_expires_at END
          WHERE id = $6 AND lease_owner = $7
          RETURNING status),
        v AS (
          SELECT * FROM jsonb_to_recordset($8::jsonb) AS v(name text, status text, attempts bigint, output text,
            last_error text, wait_key text, wait_deadline bigint, started_at bigint, finished_at bigint,
            next_attempt_at bigint, duration_ms bigint, starting boolean)),
        u AS (
          UPDATE workflow_steps w SET status = v.status, attempts = v.attempts, output = v.output,
            last_error = v.last_error, wait_key = v.wait_key,
            wait_deadline = timestamptz '2000-01-01 00:00:00+00' + v.wait_deadline * interval '1 microsecond',
            started_at = timestamptz '2000-01-01 00:00:00+00' + v.started_at * interval '1 microsecond',
            finished_at = timestamptz '2000-01-01 00:00:00+00' + v.finished_at * interval '1 microsecond',
            next_attempt_at = timestamptz '2000-01-01 00:00:00+00' + v.next_attempt_at * interval '1 microsecond',
            duration_ms = v.duration_ms
          FROM v, s
          WHERE w.workflow_id = $6 AND w.name = v.name AND (s.status NOT IN ('PAUSED', 'CANCELLED') OR NOT v.starting)
          RETURNING w.name),
        g AS (
          SELECT * FROM jsonb_to_recordset($9::jsonb) AS g(step text, from_status text, to_status text, message text,
            actor text, created_at bigint, dropped_when_stopped boolean)),
        l AS (
          INSERT INTO workflow_logs (workflow_id, step, from_status, to_status, message, actor, created_at)
          SELECT $6, g.step, g.from_status, g.to_status, g.message, g.actor,
            timestamptz '2000-01-01 00:00:00+00' + g.created_at * interval '1 microsecond'
          FROM g, s WHERE s.status NOT IN ('PAUSED', 'CANCELLED') OR NOT g.dropped_when_stopped)
        SELECT status, (SELECT COUNT(*) FROM u) AS updated FROM s
        """

    static let bindingDataTypes: [PostgresDataType] = [
        .text, .text, .text, .timestamptz, .timestamptz, .text, .text, .text, .text, .bool,
    ]

    let workflow: WorkflowRecord
    let steps: [StepRecord]
    let log: [WorkflowLogEntry]
    let leaseOwner: String
    /// Give the lease up with this transition (the run's last under this lease).
    let releasingLease: Bool

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(workflow.status.rawValue)
        bindings.append(workflow.currentStep)
        bindings.append(workflow.lastError)
        bindings.append(workflow.nextRunAt)
        bindings.append(workflow.updatedAt)
        bindings.append(workflow.id.rawValue)
        bindings.append(leaseOwner)
        let starting = steps.startingNames
        bindings.append(
            String(
                decoding: JSONValue.array(
                    steps.map { step in
                        .object([
                            "name": .string(step.name), "status": .string(step.status.rawValue),
                            "attempts": Self.number(step.attempts),
                            "output": step.output.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null,
                            "last_error": Self.text(step.lastError), "wait_key": Self.text(step.waitKey),
                            "wait_deadline": Self.microseconds(step.waitDeadline),
                            "started_at": Self.microseconds(step.startedAt),
                            "finished_at": Self.microseconds(step.finishedAt),
                            "next_attempt_at": Self.microseconds(step.nextAttemptAt),
                            "duration_ms": step.durationMilliseconds.map(Self.number) ?? .null,
                            "starting": .bool(starting.contains(step.name)),
                        ])
                    }
                ).compactUTF8, as: UTF8.self))
        bindings.append(
            String(
                decoding: JSONValue.array(
                    log.map { entry in
                        .object([
                            "step": Self.text(entry.step), "from_status": Self.text(entry.fromStatus),
                            "to_status": .string(entry.toStatus), "message": Self.text(entry.message),
                            "actor": .string(entry.actor), "created_at": Self.microseconds(entry.at),
                            "dropped_when_stopped": .bool(entry.isDropped(whenStopped: starting)),
                        ])
                    }
                ).compactUTF8, as: UTF8.self))
        bindings.append(releasingLease)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (status, updated) = try row.decode((String, Int).self)
        return (status, updated)
    }

    private static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    private static func number(_ value: Int) -> JSONValue { .number(Decimal(value)) }

    /// PostgreSQL's epoch, 2000-01-01 00:00:00 UTC.
    private static let epoch = Date(timeIntervalSince1970: 946_684_800)

    /// Whole microseconds since PostgreSQL's epoch, truncated as PostgresNIO truncates a bound `Date`.
    private static func microseconds(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .number(Decimal(Int64(date.timeIntervalSince(epoch) * 1_000_000)))
    }
}
