import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import Workflow

/// Group commit of workflow transitions on PostgreSQL: the transitions that workers save while
/// ``maxInFlight`` executions are already running wait, and the next execution writes all of
/// them in one ``WorkflowTransitionStatement`` — one statement and one commit for the lot, which
/// is what lets the engine outrun one statement per step (issue 5's benchmark). A save that finds
/// fewer executions running starts one at once, so a lone save waits for nothing but its own.
///
/// Each save returns only after the statement holding its transition has committed, so a
/// transition is as durable when its save returns as it was one statement per save. No timer:
/// a save that starts an execution ("leads") writes the transitions waiting then, and on finishing
/// hands the next waiting batch to one of the savers in it, which leads that batch. A batch never
/// holds two transitions of one run (the later waits for the next batch), so each run's transitions
/// are written in the order saved. When the server rejects a statement of several transitions
/// (nothing of it committed), each of them is written again on its own, so that an error belongs to
/// the transition that caused it; after any other error (a connection lost, perhaps after the
/// commit) every transition of the statement fails and none is written again. The statement runs
/// in a task of its own (``FluentWorkflowStore``), so a leader's cancellation does not cut it short.
final class WorkflowGroupCommit: Sendable {
    /// What became of one transition.
    enum Outcome: Sendable, Equatable {
        /// Written: the run's stored status and how many of its steps were updated.
        case written(status: String, updated: Int)
        /// Not written: the run has no row under the transition's lease (lost, or the run is gone).
        case noLease
        /// Not written: another session holds the run's row locked (`SKIP LOCKED`); save it again.
        case busy

        /// The stored status, when written.
        var status: String? {
            guard case .written(let status, _) = self else { return nil }
            return status
        }

        /// How many steps were updated, when written.
        var updated: Int? {
            guard case .written(_, let updated) = self else { return nil }
            return updated
        }
    }

    /// How many statements run at once (each on its own pooled connection).
    let maxInFlight: Int
    /// Most transitions in one statement.
    let maxBatch: Int
    private let execute: @Sendable ([WorkflowTransition]) async throws -> [WorkflowTransitionStatement.Row]
    private let rejectedByServer: @Sendable (any Error) -> Bool
    private let state = NIOLockedValueBox(State())

    /// - Parameters:
    ///   - maxInFlight: statements running at once; 2, so that one statement waiting on a row lock
    ///     does not hold every worker up (1 and 3 measured alike in the benchmark).
    ///   - execute: runs one statement for the transitions and returns its rows.
    ///   - rejectedByServer: whether an error of `execute` means the server rejected the statement, so
    ///     that nothing of it was committed (PostgresNIO's error with the server's fields).
    init(
        maxInFlight: Int = 2, maxBatch: Int = 64,
        execute: @escaping @Sendable ([WorkflowTransition]) async throws -> [WorkflowTransitionStatement.Row],
        rejectedByServer: @escaping @Sendable (any Error) -> Bool = { ($0 as? PSQLError)?.serverInfo != nil }
    ) {
        self.maxInFlight = max(1, maxInFlight)
        self.maxBatch = max(1, maxBatch)
        self.execute = execute
        self.rejectedByServer = rejectedByServer
    }

    /// Saves waiting for a statement (not counting those being written).
    var waitingCount: Int { state.withLockedValue { $0.waiting.count } }

    /// Writes `transition`, with others saved at the same time, and returns once it is committed.
    /// - Throws: the database's error for this transition.
    func save(_ transition: WorkflowTransition) async throws -> Outcome {
        let ticket = Ticket()
        let wake = await withCheckedContinuation { (continuation: CheckedContinuation<Wake, Never>) in
            let lead: [Waiter]? = state.withLockedValue { state in
                state.waiting.append(Waiter(ticket: ticket, transition: transition, continuation: continuation))
                guard state.inFlight < maxInFlight else { return nil }
                state.inFlight += 1
                return state.takeBatch(max: maxBatch)
            }
            if let lead { lead[0].continuation.resume(returning: .lead(lead)) }
        }
        switch wake {
        case .done(let result):
            return try result.get()
        case .lead(let batch):
            let results = await write(batch)
            let next: [Waiter]? = state.withLockedValue { state in
                guard !state.waiting.isEmpty else {
                    state.inFlight -= 1
                    return nil
                }
                return state.takeBatch(max: maxBatch)
            }
            if let next { next[0].continuation.resume(returning: .lead(next)) }
            var own: Result<Outcome, any Error>?
            for (waiter, result) in zip(batch, results) {
                if waiter.ticket === ticket {
                    own = result
                } else {
                    waiter.continuation.resume(returning: .done(result))
                }
            }
            // The leader is always in its own batch (it was resumed as its first waiter).
            return try own!.get()
        }
    }

    /// One statement for the batch; on its failure, one per transition.
    private func write(_ batch: [Waiter]) async -> [Result<Outcome, any Error>] {
        do {
            return outcomes(of: try await execute(batch.map(\.transition)), for: batch.map(\.transition)).map {
                .success($0)
            }
        } catch {
            // Only an error the server reported means that nothing of the statement was committed;
            // after any other (a connection lost), writing again could write twice.
            guard batch.count > 1, rejectedByServer(error) else {
                return batch.map { _ in .failure(error) }
            }
            var results: [Result<Outcome, any Error>] = []
            for waiter in batch {
                do {
                    let rows = try await execute([waiter.transition])
                    results.append(.success(outcomes(of: rows, for: [waiter.transition])[0]))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    private func outcomes(
        of rows: [WorkflowTransitionStatement.Row], for transitions: [WorkflowTransition]
    ) -> [Outcome] {
        var byID: [String: Outcome] = [:]
        for row in rows { byID[row.id] = row.busy ? .busy : .written(status: row.status, updated: row.updated) }
        return transitions.map { byID[$0.workflow.id.rawValue] ?? .noLease }
    }

    private enum Wake: Sendable {
        /// The transition is written (or failed).
        case done(Result<Outcome, any Error>)
        /// Write this batch (which holds this saver's transition first), then hand on.
        case lead([Waiter])
    }

    /// Tells a saver's waiter from the others in a batch.
    private final class Ticket: Sendable {}

    private struct Waiter: Sendable {
        let ticket: Ticket
        let transition: WorkflowTransition
        let continuation: CheckedContinuation<Wake, Never>
    }

    private struct State: Sendable {
        var waiting: [Waiter] = []
        /// Statements running or handed to a leader.
        var inFlight = 0

        /// Takes the waiting transitions in order, at most `max` and one per run.
        mutating func takeBatch(max: Int) -> [Waiter] {
            var batch: [Waiter] = []
            var runs = Set<WorkflowID>()
            var kept: [Waiter] = []
            for waiter in waiting {
                if batch.count < max, runs.insert(waiter.transition.workflow.id).inserted {
                    batch.append(waiter)
                } else {
                    kept.append(waiter)
                }
            }
            waiting = kept
            return batch
        }
    }
}
