import Foundation
import Logging
import Testing

@testable import Workflow

@Suite struct WorkflowEngineTests {
    /// Counts how often each step's work ran, and can be told to fail a step once.
    actor Probe {
        var runs: [String: Int] = [:]
        var failNext: Set<String> = []

        func ran(_ step: String) throws {
            runs[step, default: 0] += 1
            if failNext.remove(step) != nil { throw ProbeFailure(step: step) }
        }

        func fail(_ step: String) { failNext.insert(step) }
    }

    struct ProbeFailure: Error, CustomStringConvertible {
        let step: String
        var description: String { "\(step) broke" }
    }

    static func definition(_ probe: Probe) -> WorkflowDefinition {
        WorkflowDefinition(
            name: "test",
            steps: [
                WorkflowStep("first") { context in
                    try await probe.ran("first")
                    let input = try context.input(as: [String: Int].self)
                    return try .completed(encoding: input["n"]! * 2)
                },
                WorkflowStep("second") { context in
                    try await probe.ran("second")
                    return try .completed(encoding: try context.output(of: "first", as: Int.self) + 1)
                },
                WorkflowStep("await") { context in
                    try await probe.ran("await")
                    return .wait(eventKey: "event-\(context.workflowID)", deadline: Date().addingTimeInterval(60))
                },
                WorkflowStep("last") { context in
                    try await probe.ran("last")
                    let second = try context.output(of: "second", as: Int.self)
                    let event = try context.output(of: "await", as: String.self)
                    return try .completed(encoding: "\(second)-\(event)")
                },
            ])
    }

    func engine(_ probe: Probe, _ store: InMemoryWorkflowStore = InMemoryWorkflowStore()) -> WorkflowEngine {
        WorkflowEngine(store: store, definitions: [Self.definition(probe)], logger: Logger(label: "test"))
    }

    let input = try! JSONEncoder().encode(["n": 20])

    @Test func runsUntilItWaitsThenFinishesOnTheEvent() async throws {
        let probe = Probe()
        let engine = engine(probe)
        let id = WorkflowID("w1")
        let parked = try await engine.execute("test", input: input, id: id)
        #expect(parked.status == .inProgress)
        #expect(parked.currentStep == "await")
        var status = try await engine.status(id)
        #expect(status.steps.map(\.status) == [.completed, .completed, .running, .pending])
        #expect(status.steps[2].waitKey == "event-w1")
        #expect(status.steps[2].waitDeadline != nil)

        #expect(try await engine.deliver(eventKey: "event-w1", payload: try JSONEncoder().encode("paid")))
        status = try await engine.status(id)
        #expect(status.workflow.status == .completed)
        #expect(status.steps.map(\.status) == [.completed, .completed, .completed, .completed])
        #expect(try JSONDecoder().decode(String.self, from: status.steps[3].output!) == "41-paid")

        // A duplicate delivery changes nothing and re-runs nothing.
        #expect(try await engine.deliver(eventKey: "event-w1", payload: try JSONEncoder().encode("again")) == false)
        #expect(await probe.runs == ["first": 1, "second": 1, "await": 1, "last": 1])
    }

    @Test func anEventThatArrivesBeforeTheWaitIsNotLost() async throws {
        let probe = Probe()
        let engine = engine(probe)
        try await engine.deliver(eventKey: "event-early", payload: try JSONEncoder().encode("early"))
        let run = try await engine.execute("test", input: input, id: WorkflowID("early"))
        #expect(run.status == .completed)
        #expect(await probe.runs["last"] == 1)
    }

    @Test func startingTheSameIDTwiceFindsTheExistingRun() async throws {
        let probe = Probe()
        let engine = engine(probe)
        let id = WorkflowID("same")
        try await engine.execute("test", input: input, id: id)
        let again = try await engine.execute("test", input: try JSONEncoder().encode(["n": 99]), id: id)
        #expect(again.input == input)
        #expect(await probe.runs == ["first": 1, "second": 1, "await": 1])
    }

    @Test func resumeReRunsOnlyTheFailedStep() async throws {
        let probe = Probe()
        await probe.fail("second")
        let engine = engine(probe)
        let id = WorkflowID("fails")
        let failed = try await engine.execute("test", input: input, id: id)
        #expect(failed.status == .failed)
        #expect(failed.lastError == "second: second broke")
        let status = try await engine.status(id)
        #expect(status.steps.map(\.status) == [.completed, .failed, .pending, .pending])
        #expect(status.steps[1].lastError == "second broke")

        // Delivering or executing again does not touch a failed run; resume does.
        #expect(try await engine.execute("test", input: input, id: id).status == .failed)
        let resumed = try await engine.resume(id)
        #expect(resumed.status == .inProgress)
        #expect(await probe.runs == ["first": 1, "second": 2, "await": 1])
        #expect(try await engine.status(id).steps[1].attempts == 2)
    }

    @Test func aStepInterruptedMidRunIsRunAgainOnResume() async throws {
        let probe = Probe()
        let store = InMemoryWorkflowStore()
        let id = WorkflowID("crashed")
        // The state a crash inside "second" leaves behind: first done, second RUNNING, no wait.
        let date = Date()
        let record = WorkflowRecord(
            id: id, definition: "test", status: .inProgress, input: input, currentStep: "second", lastError: nil,
            createdAt: date, updatedAt: date)
        var steps = ["first", "second", "await", "last"].enumerated().map {
            StepRecord(workflowID: id, name: $1, position: $0)
        }
        steps[0].status = .completed
        steps[0].output = try JSONEncoder().encode(40)
        steps[1].status = .running
        steps[1].attempts = 1
        _ = await store.create(record, steps: steps)

        let resumed = try await engine(probe, store).resume(id)
        #expect(resumed.currentStep == "await")
        #expect(await probe.runs == ["second": 1, "await": 1])
        #expect(await store.steps(of: id)[1].attempts == 2)
    }

    @Test func concurrentDeliveryAndStartRunEachStepOnce() async throws {
        for round in 0..<50 {
            let probe = Probe()
            let engine = engine(probe)
            let id = WorkflowID("race-\(round)")
            let payload = try JSONEncoder().encode("x")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await engine.execute("test", input: input, id: id) }
                group.addTask { try await engine.deliver(eventKey: "event-\(id)", payload: payload) }
                group.addTask { try await engine.deliver(eventKey: "event-\(id)", payload: payload) }
                try await group.waitForAll()
            }
            #expect(try await engine.status(id).workflow.status == .completed)
            #expect(await probe.runs == ["first": 1, "second": 1, "await": 1, "last": 1])
        }
    }

    @Test func unknownDefinitionsAndRunsAreErrors() async throws {
        let engine = engine(Probe())
        await #expect(throws: WorkflowError.unknownDefinition("nope")) {
            try await engine.execute("nope", input: input, id: WorkflowID("x"))
        }
        await #expect(throws: WorkflowError.notFound(WorkflowID("missing"))) {
            try await engine.resume(WorkflowID("missing"))
        }
    }

    @Test func aWaitPastItsDeadlineFailsAndResumeWaitsAgain() async throws {
        let probe = Probe()
        let store = InMemoryWorkflowStore()
        let clock = TestClock()
        let engine = WorkflowEngine(
            store: store, definitions: [Self.definition(probe)], now: { clock.now }, logger: Logger(label: "test"))
        let id = WorkflowID("late")
        try await engine.execute("test", input: input, id: id)
        // Still within the deadline: advancing changes nothing.
        #expect(try await engine.execute("test", input: input, id: id).status == .inProgress)
        clock.advance(by: 61)
        let failed = try await engine.execute("test", input: input, id: id)
        #expect(failed.status == .failed)
        #expect(failed.lastError == "await: no event 'event-late' arrived before the deadline")
        let waiting = try await engine.status(id).steps[2]
        #expect(waiting.status == .failed)
        #expect(waiting.waitKey == nil)

        let resumed = try await engine.resume(id)
        #expect(resumed.status == .inProgress)
        #expect(try await engine.status(id).steps[2].attempts == 2)
        try await engine.deliver(eventKey: "event-late", payload: try JSONEncoder().encode("finally"))
        #expect(try await engine.status(id).workflow.status == .completed)
        #expect(await probe.runs == ["first": 1, "second": 1, "await": 2, "last": 1])
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let start = Date()
    private let offset = OffsetBox()
    var now: Date { start.addingTimeInterval(offset.value) }
    func advance(by seconds: TimeInterval) { offset.add(seconds) }

    private final class OffsetBox: @unchecked Sendable {
        // Guarded by `lock`; tests touch it from several tasks.
        private var seconds: TimeInterval = 0
        private let lock = NSLock()
        var value: TimeInterval { lock.withLock { seconds } }
        func add(_ delta: TimeInterval) { lock.withLock { seconds += delta } }
    }
}
