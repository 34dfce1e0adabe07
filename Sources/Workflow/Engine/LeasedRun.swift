import Foundation

/// A run's work and its lease's heartbeat, as two tasks, whichever ends first deciding: the work's
/// result, or the lease lost. On a lost lease the work is cancelled and *not waited for*: work
/// stuck in a call that never answers (a database statement on a connection whose server
/// process is gone) must not keep the run, its lease or its caller with it (issue 19's fault soak
/// left runs held for good by a process whose step hung after a PostgreSQL restart). The
/// abandoned work can save nothing: every save checks the lease.
final class LeasedRun: @unchecked Sendable {
    /// What ended first.
    enum Ending: Sendable {
        case work(Result<WorkflowRecord, any Error>)
        case leaseLost
    }

    private let lock = NSLock()
    private var continuation: CheckedContinuation<Ending, Never>?
    private var ending: Ending?
    private var work: Task<Void, Never>?
    private var heartbeat: Task<Void, Never>?

    /// Runs `work` beside `holdLease` (which returns when the lease is lost and throws when
    /// cancelled) and answers with whichever ends first; cancelling the caller cancels both and
    /// answers `CancellationError` at once.
    static func run(
        work: @escaping @Sendable () async throws -> WorkflowRecord,
        holdLease: @escaping @Sendable () async throws -> Void
    ) async -> Ending {
        let race = LeasedRun()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Cancelled before it began: answered at once.
                let early: Ending? = race.lock.withLock {
                    if let ending = race.ending { return ending }
                    race.continuation = continuation
                    return nil
                }
                if let early {
                    continuation.resume(returning: early)
                    return
                }
                let workTask = Task {
                    do {
                        race.end(.work(.success(try await work())))
                    } catch {
                        race.end(.work(.failure(error)))
                    }
                }
                let heartbeatTask = Task {
                    do {
                        try await holdLease()
                        race.end(.leaseLost)
                    } catch {}  // cancelled: the work ended
                }
                race.lock.withLock {
                    race.work = workTask
                    race.heartbeat = heartbeatTask
                }
                race.cancelLosers()
            }
        } onCancel: {
            // Shutting down: do not wait for work that may never end.
            race.cancelAll()
            race.end(.work(.failure(CancellationError())))
        }
    }

    private func end(_ value: Ending) {
        let resume: CheckedContinuation<Ending, Never>? = lock.withLock {
            guard ending == nil else { return nil }
            ending = value
            defer { continuation = nil }
            return continuation
        }
        resume?.resume(returning: value)
        cancelLosers()
    }

    /// Once an ending is known, the other task is cancelled.
    private func cancelLosers() {
        let (ending, work, heartbeat) = lock.withLock { (self.ending, self.work, self.heartbeat) }
        switch ending {
        case .work?: heartbeat?.cancel()
        case .leaseLost?: work?.cancel()
        case nil: break
        }
    }

    private func cancelAll() {
        let (work, heartbeat) = lock.withLock { (self.work, self.heartbeat) }
        work?.cancel()
        heartbeat?.cancel()
    }
}
