import Foundation
import Logging

/// Runs due workflows from the store: each of ``concurrency`` loops leases one runnable run at a
/// time (``WorkflowStore/claimNext(owner:until:now:)``), advances it, and polls again
/// after ``pollIntervalSeconds`` when nothing is due. Several workers — in this process or
/// others, on PostgreSQL — share the queue; a run is advanced by one lease holder at a time.
public struct WorkflowWorker: Sendable {
    public let engine: WorkflowEngine
    public let concurrency: Int
    /// Seconds between polls when nothing is due.
    public let pollIntervalSeconds: Double

    public init(engine: WorkflowEngine, concurrency: Int = 4, pollIntervalSeconds: Double = 0.5) {
        self.engine = engine
        self.concurrency = max(1, concurrency)
        self.pollIntervalSeconds = pollIntervalSeconds
    }

    /// Works until the task is cancelled; a step in progress at cancellation is not recorded and
    /// its lease is given up, so that another worker runs it again.
    public func run() async {
        engine.logger.info(
            "workflow worker started", metadata: ["worker": "\(engine.workerID)", "concurrency": "\(concurrency)"])
        await withTaskGroup(of: Void.self) { group in
            for slot in 0..<concurrency {
                group.addTask { await self.loop(reportsActive: slot == 0) }
            }
        }
        engine.logger.info("workflow worker stopped", metadata: ["worker": "\(engine.workerID)"])
    }

    /// Runs every due workflow once, then returns (tests and tools).
    /// - Returns: how many runs were advanced.
    @discardableResult
    public func drain() async throws -> Int {
        var count = 0
        while !Task.isCancelled {
            guard try await engine.runNext() != nil else { return count }
            count += 1
        }
        return count
    }

    private func loop(reportsActive: Bool) async {
        var lastReport = Date.distantPast
        while !Task.isCancelled {
            var worked = false
            do {
                worked = try await engine.runNext() != nil
                if reportsActive, Date().timeIntervalSince(lastReport) >= 10 {
                    engine.metrics.recordActive(
                        try await engine.store.countInProgress(), definitions: engine.definitionNames)
                    lastReport = Date()
                }
            } catch is CancellationError {
                return
            } catch WorkflowError.leaseLost(let id) {
                worked = true  // it claimed a run; look for the next at once
                // Fencing at work, not a failure: another holder (a worker, or the run advanced
                // inline by `rcm process` or a callback) continued the run; this one wrote nothing.
                engine.logger.notice(
                    "workflow continued by another holder of its lease",
                    metadata: ["worker": "\(engine.workerID)", "workflow_id": "\(id)"])
            } catch {
                engine.logger.error(
                    "workflow worker error", metadata: ["worker": "\(engine.workerID)", "error": "\(error)"])
            }
            if !worked {
                do { try await Task.sleep(for: .seconds(pollIntervalSeconds)) } catch { return }
            }
        }
    }
}
