import Foundation
import NIOConcurrencyHelpers
import Testing
import Workflow

@testable import RCMServer

/// `WorkflowGroupCommit` without a database: a recording statement runner stands in for
/// PostgreSQL, so that the tests control when a statement finishes and whether it fails.
@Suite struct WorkflowGroupCommitTests {
    /// A statement runner that records each batch (the runs' ids), can hold the first statement
    /// until told, and answers one row per run unless the run is listed as leaseless or poisoned.
    final class Runner: Sendable {
        struct Rejected: Error {}
        struct ConnectionLost: Error {}

        private let recorded = NIOLockedValueBox<[[String]]>([])
        private let running = NIOLockedValueBox((now: 0, most: 0))
        private let gate = NIOLockedValueBox<CheckedContinuation<Void, Never>?>(nil)
        private let holdsFirst: Bool
        let leaseless: Set<String>
        let poisoned: Set<String>
        let connectionLost: Bool

        init(
            holdsFirst: Bool = false, leaseless: Set<String> = [], poisoned: Set<String> = [],
            connectionLost: Bool = false
        ) {
            self.holdsFirst = holdsFirst
            self.leaseless = leaseless
            self.poisoned = poisoned
            self.connectionLost = connectionLost
        }

        var batches: [[String]] { recorded.withLockedValue { $0 } }
        var mostAtOnce: Int { running.withLockedValue { $0.most } }

        func run(_ transitions: [WorkflowTransition]) async throws -> [WorkflowTransitionStatement.Row] {
            let ids = transitions.map(\.workflow.id.rawValue)
            let isFirst = recorded.withLockedValue { batches in
                batches.append(ids)
                return batches.count == 1
            }
            running.withLockedValue { $0 = (now: $0.now + 1, most: max($0.most, $0.now + 1)) }
            defer { running.withLockedValue { $0.now -= 1 } }
            if holdsFirst, isFirst {
                await withCheckedContinuation { continuation in gate.withLockedValue { $0 = continuation } }
            }
            await Task.yield()
            if connectionLost { throw ConnectionLost() }
            if !poisoned.isDisjoint(with: ids) { throw Rejected() }
            return ids.filter { !leaseless.contains($0) }.map {
                (id: $0, status: "IN_PROGRESS", updated: 1, busy: false)
            }
        }

        /// Lets the held first statement finish once it has started.
        func release() async {
            while true {
                if let continuation = gate.withLockedValue({ gate in
                    defer { gate = nil }
                    return gate
                }) {
                    continuation.resume()
                    return
                }
                await Task.yield()
            }
        }
    }

    static func transition(_ id: String, step: String = "submit") -> WorkflowTransition {
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        let workflowID = WorkflowID(id)
        return WorkflowTransition(
            workflow: WorkflowRecord(
                id: workflowID, definition: "claim", status: .inProgress, input: Data("{}".utf8), currentStep: step,
                lastError: nil, createdAt: at, updatedAt: at),
            steps: [StepRecord(workflowID: workflowID, name: step, position: 0)],
            log: [
                WorkflowLogEntry(
                    workflowID: workflowID, step: step, fromStatus: "PENDING", toStatus: "RUNNING", message: nil,
                    actor: "worker:a", at: at)
            ],
            leaseOwner: "worker:a", releasingLease: false)
    }

    static func groupCommit(_ runner: Runner, maxInFlight: Int = 1, maxBatch: Int = 64) -> WorkflowGroupCommit {
        WorkflowGroupCommit(
            maxInFlight: maxInFlight, maxBatch: maxBatch, execute: { try await runner.run($0) },
            rejectedByServer: { $0 is Runner.Rejected })
    }

    /// Waits until the runner has started `count` statements.
    static func waitForBatches(_ runner: Runner, _ count: Int) async {
        while runner.batches.count < count { await Task.yield() }
    }

    /// Waits until `count` saves wait for a statement.
    static func waitForWaiting(_ commit: WorkflowGroupCommit, _ count: Int) async {
        while commit.waitingCount < count { await Task.yield() }
    }

    @Test func savesArrivingDuringAStatementShareTheNextOne() async throws {
        let runner = Runner(holdsFirst: true)
        let commit = Self.groupCommit(runner)
        try await withThrowingTaskGroup(of: (String, WorkflowGroupCommit.Outcome).self) { group in
            group.addTask { ("run-0", try await commit.save(Self.transition("run-0"))) }
            await Self.waitForBatches(runner, 1)
            for index in 1...9 {
                group.addTask { ("run-\(index)", try await commit.save(Self.transition("run-\(index)"))) }
            }
            // The nine queue behind the held statement; then it finishes.
            await Self.waitForWaiting(commit, 9)
            await runner.release()
            var answered: Set<String> = []
            for try await (id, outcome) in group {
                #expect(outcome.status == "IN_PROGRESS")
                answered.insert(id)
            }
            #expect(answered.count == 10)
        }
        #expect(runner.batches.first == ["run-0"])
        #expect(runner.batches.flatMap { $0 }.sorted() == (0...9).map { "run-\($0)" }.sorted())
        #expect(runner.batches.count < 10, "the nine waiting saves went out together, not one by one")
        #expect(runner.mostAtOnce == 1)
    }

    @Test func aLoneSaveIsWrittenAtOnceAndLeaselessRunsGetNoRow() async throws {
        let runner = Runner(leaseless: ["run-lost"])
        let commit = Self.groupCommit(runner, maxInFlight: 2)
        #expect(try await commit.save(Self.transition("run-1")).updated == 1)
        let lost = try await commit.save(Self.transition("run-lost"))
        #expect(lost == .noLease)
        #expect(runner.batches == [["run-1"], ["run-lost"]])
    }

    @Test func twoTransitionsOfOneRunNeverShareAStatement() async throws {
        let runner = Runner(holdsFirst: true)
        let commit = Self.groupCommit(runner)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await commit.save(Self.transition("run-0")) }
            await Self.waitForBatches(runner, 1)
            group.addTask { _ = try await commit.save(Self.transition("run-1", step: "submit")) }
            group.addTask { _ = try await commit.save(Self.transition("run-1", step: "adjudicate")) }
            group.addTask { _ = try await commit.save(Self.transition("run-2")) }
            await Self.waitForWaiting(commit, 3)
            await runner.release()
            try await group.waitForAll()
        }
        for batch in runner.batches { #expect(Set(batch).count == batch.count, "\(runner.batches)") }
        let written: [String] = runner.batches.flatMap { $0 }
        #expect(written.filter { $0 == "run-1" }.count == 2)
    }

    @Test func aStatementTheServerRejectsIsWrittenAgainOneTransitionAtATime() async throws {
        let runner = Runner(holdsFirst: true, poisoned: ["run-bad"])
        let commit = Self.groupCommit(runner)
        try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            group.addTask { ("run-0", (try? await commit.save(Self.transition("run-0"))) != nil) }
            await Self.waitForBatches(runner, 1)
            for id in ["run-1", "run-bad", "run-2"] {
                group.addTask { (id, (try? await commit.save(Self.transition(id))) != nil) }
            }
            await Self.waitForWaiting(commit, 3)
            await runner.release()
            var written: [String: Bool] = [:]
            for try await (id, ok) in group { written[id] = ok }
            #expect(written == ["run-0": true, "run-1": true, "run-bad": false, "run-2": true])
        }
        // The rejected statement wrote nothing; each of its transitions went again on its own.
        let rejected = try #require(runner.batches.first { $0.count > 1 && $0.contains("run-bad") })
        for id in rejected { #expect(runner.batches.contains([id])) }
    }

    @Test func afterALostConnectionNothingIsWrittenTwice() async throws {
        let runner = Runner(holdsFirst: true, connectionLost: true)
        let commit = Self.groupCommit(runner)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await commit.save(Self.transition("run-0"))) != nil }
            await Self.waitForBatches(runner, 1)
            for id in ["run-1", "run-2", "run-3"] {
                group.addTask { (try? await commit.save(Self.transition(id))) != nil }
            }
            await Self.waitForWaiting(commit, 3)
            await runner.release()
            for try await ok in group { #expect(!ok) }
        }
        // Each transition was sent once: a lost connection may have committed it.
        #expect(runner.batches.flatMap { $0 }.sorted() == ["run-0", "run-1", "run-2", "run-3"])
    }

    @Test func noMoreStatementsRunAtOnceThanAllowed() async throws {
        let runner = Runner()
        let commit = Self.groupCommit(runner, maxInFlight: 2, maxBatch: 3)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let outcome = try await commit.save(Self.transition("run-\(index)"))
                    #expect(outcome.status == "IN_PROGRESS")
                }
            }
            try await group.waitForAll()
        }
        #expect(runner.mostAtOnce <= 2)
        #expect(runner.batches.allSatisfy { $0.count <= 3 })
        #expect(runner.batches.flatMap { $0 }.count == 40)
    }
}
