import FluentPostgresDriver
import Foundation
import Workflow

/// The columns of `workflow_steps` that a run's steps carry, bound column by column as PostgreSQL
/// arrays (one element per step, NULL where a step has no value) for `unnest` in the prepared
/// statements that write steps (``WorkflowCreateStatement``, ``WorkflowTransitionStatement``).
///
/// In order: `name`, `status`, `attempts`, `output`, `last_error`, `wait_key`, `wait_deadline`,
/// `started_at`, `finished_at`, `next_attempt_at`, `duration_ms` (milliseconds).
enum WorkflowStepColumns {
    /// The arrays' types, in binding order.
    static let dataTypes: [PostgresDataType] = [
        .textArray, .textArray, .int8Array, .textArray, .textArray, .textArray, .timestamptzArray,
        .timestamptzArray, .timestamptzArray, .timestamptzArray, .int8Array,
    ]

    /// Appends the eleven arrays of `steps`.
    static func append(_ steps: [StepRecord], to bindings: inout PostgresBindings) {
        bindings.append(steps.map(\.name))
        bindings.append(steps.map(\.status.rawValue))
        bindings.append(steps.map { Int64($0.attempts) })
        bindings.append(PostgresNullableArray(steps.map { $0.output.map { String(decoding: $0, as: UTF8.self) } }))
        bindings.append(PostgresNullableArray(steps.map(\.lastError)))
        bindings.append(PostgresNullableArray(steps.map(\.waitKey)))
        bindings.append(PostgresNullableArray(steps.map(\.waitDeadline)))
        bindings.append(PostgresNullableArray(steps.map(\.startedAt)))
        bindings.append(PostgresNullableArray(steps.map(\.finishedAt)))
        bindings.append(PostgresNullableArray(steps.map(\.nextAttemptAt)))
        bindings.append(PostgresNullableArray(steps.map { $0.durationMilliseconds.map(Int64.init) }))
    }
}
