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

    /// An event that reports the awaited work failed (a payer's error response) ends the wait at
    /// once as a failed attempt, here not retried: the run is FAILED with the reason, not parked
    /// until its deadline; whether it arrives after the wait began or before it.
    @Test func aFailureDeliveredToAWaitEndsItAtOnce() async throws {
        let failure = StepFailure(kind: "payer-error", message: "the payer answered ERR_X: no", retryable: false)
        #expect(StepFailure(eventPayload: failure.eventPayload) == failure)
        #expect(StepFailure(eventPayload: try JSONEncoder().encode("paid")) == nil)
        for early in [false, true] {
            let probe = Probe()
            let engine = engine(probe)
            let id = WorkflowID("fail-\(early)")
            if early { try await engine.deliver(eventKey: "event-\(id)", payload: failure.eventPayload) }
            _ = try await engine.execute("test", input: input, id: id)
            if !early { try await engine.deliver(eventKey: "event-\(id)", payload: failure.eventPayload) }
            let status = try await engine.status(id)
            #expect(status.workflow.status == .failed)
            #expect(status.steps.map(\.status) == [.completed, .completed, .failed, .pending])
            #expect(status.steps[2].lastError == "the payer answered ERR_X: no")
            #expect(await probe.runs["last"] == nil)
        }
    }

    /// The heartbeat keeps renewing through failed renewals (a database restart), and when the
    /// lease is truly lost it cancels the step it guards instead of letting it run on unguarded.
    @Test func theHeartbeatSurvivesFailedRenewalsAndCancelsTheStepWhenTheLeaseIsLost() async throws {
        /// A step that works until `done` says so (or 30 s at most).
        func longStep(until done: @escaping @Sendable () async -> Bool) -> WorkflowDefinition {
            WorkflowDefinition(
                name: "long",
                steps: [
                    WorkflowStep("work") { _ in
                        let started = ContinuousClock.now
                        while await !done(), ContinuousClock.now - started < .seconds(30) {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        return try .completed(encoding: "done")
                    }
                ])
        }
        // Lease of 3 s: renewed every second. Two renewals fail (tried again 0.3 s apart), then they
        // go through again: the step works until the fourth renewal was asked for, so it ends only if
        // the heartbeat went on.
        let store = RacingWorkflowStore()
        await store.armRenewals([nil, nil])
        // The engine's clock stands still: on a loaded machine a late renewal must not count as a
        // lapsed lease here (that the heartbeat gives a lapsed lease up is the stuck-step test's).
        let frozen = Date()
        let engine = WorkflowEngine(
            store: store, definitions: [longStep { await store.renewalAttempts >= 4 }], leaseSeconds: 3,
            now: { frozen }, logger: Logger(label: "test"))
        let run = try await engine.execute("long", input: Data("{}".utf8), id: WorkflowID("beat"))
        #expect(run.status == .completed)
        #expect(await store.renewalAttempts >= 4)

        // Another worker holds the lease: the step is cancelled, nothing of it is saved.
        let lost = RacingWorkflowStore()
        await lost.armRenewals([false])
        let guarded = WorkflowEngine(
            store: lost, definitions: [longStep { false }], leaseSeconds: 3, logger: Logger(label: "test"))
        let started = ContinuousClock.now
        await #expect(throws: WorkflowError.leaseLost(WorkflowID("lost"))) {
            try await guarded.execute("long", input: Data("{}".utf8), id: WorkflowID("lost"))
        }
        #expect(ContinuousClock.now - started < .seconds(20), "the step ran on after its lease was lost")
        let steps = try await lost.steps(of: WorkflowID("lost"))
        #expect(steps.map(\.status) == [.running])
    }

    /// A step stuck in a call that never answers and ignores cancellation (a database statement on
    /// a connection whose server process is gone) does not keep its run: past the hold limit its
    /// worker gives the run up, the lease lapses, and another worker takes the run on.
    @Test func aStepStuckForGoodIsGivenUpAndTakenOnByAnotherWorker() async throws {
        let gate = Gate()
        let definition = WorkflowDefinition(
            name: "stuck",
            steps: [
                WorkflowStep("work") { _ in
                    if await gate.isClosed { await gate.wait() }
                    return .completed(Data("1".utf8))
                }
            ])
        let store = InMemoryWorkflowStore()
        func engine(_ worker: String) -> WorkflowEngine {
            WorkflowEngine(
                store: store, definitions: [definition], workerID: worker, leaseSeconds: 0.6, maxHoldSeconds: 1,
                logger: Logger(label: "test"))
        }
        let id = WorkflowID("stuck")
        await #expect(throws: WorkflowError.leaseLost(id)) {
            try await engine("worker:a").execute("stuck", input: Data("{}".utf8), id: id)
        }
        await gate.stopHolding()
        // Once the abandoned lease lapses (0.6 s; longer on a loaded machine), worker b takes the run.
        var run = try await engine("worker:b").execute("stuck", input: Data("{}".utf8), id: id)
        let started = ContinuousClock.now
        while run.status != .completed, ContinuousClock.now - started < .seconds(30) {
            try await Task.sleep(for: .milliseconds(200))
            run = try await engine("worker:b").execute("stuck", input: Data("{}".utf8), id: id)
        }
        #expect(run.status == .completed)
        await gate.open()  // let the abandoned task end
    }

    /// Holds callers until opened; a caller does not end on cancellation.
    actor Gate {
        private var waiters: [CheckedContinuation<Void, Never>] = []
        private(set) var isClosed = true
        func wait() async { await withCheckedContinuation { waiters.append($0) } }
        func stopHolding() { isClosed = false }
        func open() {
            isClosed = false
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
    }

    @Test func anEventThatArrivesBeforeTheWaitIsNotLost() async throws {
        let probe = Probe()
        let engine = engine(probe)
        try await engine.deliver(eventKey: "event-early", payload: try JSONEncoder().encode("early"))
        let run = try await engine.execute("test", input: input, id: WorkflowID("early"))
        #expect(run.status == .completed)
        #expect(await probe.runs["last"] == 1)
    }

    @Test func anEventDeliveredElsewhereWhileAWorkerLooksIsNotLost() async throws {
        // Worker A holds the run's lease and finds no event; the callback reaches another process
        // (engine B) at that moment: B records it and wakes the run but cannot take the lease. A's
        // save must not leave the run parked until the wait's deadline.
        let probe = Probe()
        let store = RacingWorkflowStore()
        let a = WorkflowEngine(store: store, definitions: [Self.definition(probe)], logger: Logger(label: "a"))
        let b = WorkflowEngine(store: store, definitions: [Self.definition(probe)], logger: Logger(label: "b"))
        let id = WorkflowID("race")
        #expect(try await a.execute("test", input: input, id: id).currentStep == "await")
        try await a.resume(id, advance: false)  // due now, as after any wake-up
        await store.armMissedEvent {
            try await b.deliver(eventKey: "event-race", payload: try JSONEncoder().encode("paid"))
        }
        #expect(try await WorkflowWorker(engine: a).drain() == 1)
        let status = try await a.status(id)
        #expect(status.workflow.status == .completed)
        #expect(status.workflow.leaseOwner == nil)
        #expect(await probe.runs == ["first": 1, "second": 1, "await": 1, "last": 1])
    }

    @Test func aRunAdvancedInlineBetweenAClaimAndItsLockIsNotRunAgain() async throws {
        // A worker loop claims a run; before it takes the run's lock, an inline advance of the same
        // engine (same lease owner) runs the run to its end. The loop reads the run under the lock.
        let probe = Probe()
        let store = RacingWorkflowStore()
        let engine = WorkflowEngine(store: store, definitions: [Self.definition(probe)], logger: Logger(label: "e"))
        let id = WorkflowID("stale")
        try await engine.deliver(eventKey: "event-stale", payload: try JSONEncoder().encode("early"))
        try await engine.enqueue("test", input: input, id: id)
        await store.armClaimed { claimed in try await engine.advance(claimed) }
        #expect(try await WorkflowWorker(engine: engine).drain() == 1)
        #expect(try await engine.status(id).workflow.status == .completed)
        #expect(await probe.runs == ["first": 1, "second": 1, "await": 1, "last": 1])
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
        _ = await store.create(
            record, steps: steps,
            log: WorkflowLogEntry(
                workflowID: id, step: nil, fromStatus: nil, toStatus: "PENDING", message: nil, actor: "test", at: date))

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
        // Well past the deadline, which the step set from the real clock when it ran (on a loaded
        // machine, seconds after this test's clock was made).
        clock.advance(by: 3600)
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

/// Retries, pause and cancel, skips, leases: the durable engine's promises, on a manual clock.
@Suite struct WorkflowDurabilityTests {
    /// Counts attempts and fails the first `failures` of them with `error`.
    actor Flaky {
        var attempts = 0
        let failures: Int
        let error: any Error & Sendable
        init(failures: Int, error: any Error & Sendable) {
            self.failures = failures
            self.error = error
        }
        func attempt() throws {
            attempts += 1
            if attempts <= failures { throw error }
        }
    }

    struct Outage: Error, CustomStringConvertible {
        var description: String { "payer unreachable" }
    }

    let input = try! JSONEncoder().encode(["n": 1])

    func engine(
        _ steps: [WorkflowStep], store: InMemoryWorkflowStore = InMemoryWorkflowStore(), clock: TestClock,
        worker: String = "worker:test:1"
    ) -> WorkflowEngine {
        WorkflowEngine(
            store: store, definitions: [WorkflowDefinition(name: "durable", steps: steps)], workerID: worker,
            leaseSeconds: 30, now: { clock.now }, random: { 0.5 }, logger: Logger(label: "test"))
    }

    /// Contention or a database restart met by a step is not the step's failure: it is tried again
    /// without counting, here under a policy of no retries at all, and the run completes; a real
    /// failure then fails it, and the definition hears of it (`onFailure`, with input and step).
    @Test func transientTroubleIsRetriedWithoutCountingAndAFailureIsReported() async throws {
        struct Busy: Error, CustomStringConvertible { var description: String { "database is locked" } }
        let clock = TestClock()
        let flaky = Flaky(failures: 3, error: Busy())
        let reported = Recorder()
        let definition = WorkflowDefinition(
            name: "durable",
            steps: [
                WorkflowStep("call", retry: .none) { _ in
                    try await flaky.attempt()
                    return .completed(Data("1".utf8))
                },
                WorkflowStep("fail", retry: .none) { _ in throw Outage() },
            ],
            onFailure: { input, step, error in
                await reported.add("\(String(decoding: input, as: UTF8.self)) \(step) \(error)")
            },
            onResume: { input in await reported.add("resumed \(String(decoding: input, as: UTF8.self))") })
        let engine = WorkflowEngine(
            store: InMemoryWorkflowStore(), definitions: [definition], workerID: "worker:test:1", leaseSeconds: 30,
            now: { clock.now }, random: { 0.5 }, isTransient: { $0 is Busy }, logger: Logger(label: "test"))
        let id = WorkflowID("transient")
        var run = try await engine.execute("durable", input: input, id: id)
        for _ in 0..<3 {
            let status = try await engine.status(id)
            #expect(run.status == .inProgress)
            #expect(status.steps[0].status == .retrying)
            #expect(status.steps[0].attempts == 0)
            clock.advance(by: 10)
            run = try await engine.execute("durable", input: input, id: id)
        }
        let status = try await engine.status(id)
        #expect(status.steps.map(\.status) == [.completed, .failed])
        #expect(status.steps[0].attempts == 1)
        #expect(run.status == .failed)
        #expect(await reported.all == [#"{"n":1} fail payer unreachable"#])
        // Resumed, it fails again at the same step, and both are reported.
        _ = try await engine.resume(id)
        #expect(
            await reported.all == [
                #"{"n":1} fail payer unreachable"#, #"resumed {"n":1}"#, #"{"n":1} fail payer unreachable"#,
            ])
    }

    actor Recorder {
        var all: [String] = []
        func add(_ text: String) { all.append(text) }
    }

    @Test func retriesFollowTheBackoffScheduleAndShowRetrying() async throws {
        let clock = TestClock()
        let flaky = Flaky(failures: 3, error: Outage())
        let policy = StepRetryPolicy(
            maxAttempts: 4, initialIntervalSeconds: 2, multiplier: 3, maxIntervalSeconds: 10, jitter: 0.2)
        let engine = engine(
            [
                WorkflowStep("call", retry: policy) { _ in
                    try await flaky.attempt()
                    return .completed(Data("1".utf8))
                }
            ],
            clock: clock)
        let worker = WorkflowWorker(engine: engine)
        let id = WorkflowID("retry")
        let started = clock.now
        var run = try await engine.execute("durable", input: input, id: id)
        var expectedWaits: [Double] = []
        // random() = 0.5 → no jitter: 2, 6, then 18 capped at 10 seconds.
        for wait in [2.0, 6.0, 10.0] {
            let status = try await engine.status(id)
            #expect(run.status == .inProgress)
            #expect(status.steps[0].status == .retrying)
            #expect(status.steps[0].lastError == "payer unreachable")
            let next = try #require(status.steps[0].nextAttemptAt)
            #expect(status.workflow.nextRunAt == next)
            expectedWaits.append(next.timeIntervalSince(clock.now))
            // Not due yet: a worker finds nothing to do.
            #expect(try await worker.drain() == 0)
            clock.advance(by: wait)
            #expect(try await worker.drain() == 1)
            run = try await engine.status(id).workflow
        }
        #expect(expectedWaits == [2, 6, 10])
        #expect(run.status == .completed)
        #expect(await flaky.attempts == 4)
        let logs = try await engine.status(id).logs
        #expect(logs.filter { $0.toStatus == "RETRYING" }.count == 3)
        #expect(logs.last?.toStatus == "COMPLETED")
        #expect(clock.now.timeIntervalSince(started) == 18)
    }

    @Test func aNonRetryableFailureFailsAtOnce() async throws {
        let cases: [(any Error & Sendable, Set<String>)] = [
            (StepFailure(kind: "invalid-claim", message: "no lines", retryable: false), Set<String>()),
            (Outage(), Set(["Outage"])),
        ]
        for (error, kinds) in cases {
            let clock = TestClock()
            let flaky = Flaky(failures: 5, error: error)
            let engine = engine(
                [
                    WorkflowStep("call", retry: StepRetryPolicy(maxAttempts: 5, nonRetryableKinds: kinds)) { _ in
                        try await flaky.attempt()
                        return .completed(Data())
                    }
                ], clock: clock)
            let run = try await engine.execute("durable", input: input, id: WorkflowID("final"))
            #expect(run.status == WorkflowStatus.failed)
            #expect(await flaky.attempts == 1)
            #expect(try await engine.status(WorkflowID("final")).steps[0].status == StepStatus.failed)
        }
    }

    /// A definition whose first step lets the test act on the run while it is inside a step.
    func interruptible(_ clock: TestClock, during: @escaping @Sendable (WorkflowID) async throws -> Void, counts: Flaky)
        -> WorkflowEngine
    {
        engine(
            [
                WorkflowStep("one") { context in
                    try await during(context.workflowID)
                    return .completed(Data("1".utf8))
                },
                WorkflowStep("two") { _ in
                    try await counts.attempt()
                    return .completed(Data("2".utf8))
                },
            ], clock: clock)
    }

    @Test func pauseTakesEffectBetweenStepsAndResumeContinues() async throws {
        let clock = TestClock()
        let counts = Flaky(failures: 0, error: Outage())
        let box = EngineBox()
        let engine = interruptible(
            clock, during: { id in try await box.engine?.pause(id, actor: "cli:tester") }, counts: counts)
        await box.set(engine)
        let id = WorkflowID("pause")
        let paused = try await engine.execute("durable", input: input, id: id)
        #expect(paused.status == .paused)
        var status = try await engine.status(id)
        #expect(status.steps.map(\.status) == [.completed, .pending])
        #expect(status.logs.contains { $0.toStatus == "PAUSED" && $0.actor == "cli:tester" })
        // A worker does not run a paused workflow.
        #expect(try await WorkflowWorker(engine: engine).drain() == 0)
        #expect(await counts.attempts == 0)

        await box.set(nil)
        let resumed = try await engine.resume(id, actor: "cli:tester")
        #expect(resumed.status == .completed)
        status = try await engine.status(id)
        #expect(status.steps.map(\.attempts) == [1, 1])
        await #expect(throws: WorkflowError.illegalTransition(id, from: "COMPLETED", to: "PAUSED")) {
            try await engine.pause(id)
        }
    }

    @Test func cancelStopsForGood() async throws {
        let clock = TestClock()
        let counts = Flaky(failures: 0, error: Outage())
        let box = EngineBox()
        let engine = interruptible(clock, during: { id in try await box.engine?.cancel(id) }, counts: counts)
        await box.set(engine)
        let id = WorkflowID("cancel")
        #expect(try await engine.execute("durable", input: input, id: id).status == .cancelled)
        #expect(await counts.attempts == 0)
        await #expect(throws: WorkflowError.illegalTransition(id, from: "CANCELLED", to: "IN_PROGRESS")) {
            try await engine.resume(id)
        }
        await #expect(throws: WorkflowError.illegalTransition(id, from: "CANCELLED", to: "CANCELLED")) {
            try await engine.cancel(id)
        }
    }

    @Test func aRunCancelledDuringItsLastStepLogsNoCompletion() async throws {
        // The last step's result is kept (its work happened); the run stays CANCELLED, and its log
        // says so only: no run-level COMPLETED entry.
        let clock = TestClock()
        let box = EngineBox()
        let engine = engine(
            [
                WorkflowStep("only") { context in
                    try await box.engine?.cancel(context.workflowID, actor: "cli:tester")
                    return .completed(Data("1".utf8))
                }
            ], clock: clock)
        await box.set(engine)
        let id = WorkflowID("cancel-last")
        #expect(try await engine.execute("durable", input: input, id: id).status == .cancelled)
        let status = try await engine.status(id)
        #expect(status.steps.map(\.status) == [.completed])
        #expect(status.logs.filter { $0.step == nil }.map(\.toStatus) == ["PENDING", "IN_PROGRESS", "CANCELLED"])
        #expect(status.workflow.leaseOwner == nil)
    }

    @Test func aStepIsSkippedByItsCondition() async throws {
        let clock = TestClock()
        let engine = engine(
            [
                WorkflowStep("always") { _ in .completed(Data("1".utf8)) },
                WorkflowStep("preauth", skipIf: { context in try context.input(as: [String: Int].self)["n"] == 1 }) {
                    _ in .completed(Data("2".utf8))
                },
            ], clock: clock)
        let run = try await engine.execute("durable", input: input, id: WorkflowID("skip"))
        #expect(run.status == .completed)
        #expect(try await engine.status(WorkflowID("skip")).steps.map(\.status) == [.completed, .skipped])
    }

    @Test func aDeadWorkersLeaseExpiresAndAnotherWorkerContinues() async throws {
        let clock = TestClock()
        let store = InMemoryWorkflowStore()
        let counts = Flaky(failures: 0, error: Outage())
        let steps = [
            WorkflowStep("one") { _ in .completed(Data("1".utf8)) },
            WorkflowStep("two") { _ in
                try await counts.attempt()
                return .completed(Data("2".utf8))
            },
        ]
        let dead = engine(steps, store: store, clock: clock, worker: "worker:dead")
        let alive = engine(steps, store: store, clock: clock, worker: "worker:alive")
        let id = WorkflowID("lease")
        // The dead worker leased the run and never came back.
        _ = try await store.create(
            WorkflowRecord(
                id: id, definition: "durable", status: .pending, input: input, currentStep: nil, lastError: nil,
                createdAt: clock.now, updatedAt: clock.now),
            steps: [
                StepRecord(workflowID: id, name: "one", position: 0),
                StepRecord(workflowID: id, name: "two", position: 1),
            ],
            log: WorkflowLogEntry(
                workflowID: id, step: nil, fromStatus: nil, toStatus: "PENDING", message: nil, actor: "test",
                at: clock.now))
        #expect(
            try await store.acquireLease(
                id, owner: dead.workerID, until: clock.now.addingTimeInterval(30), now: clock.now))
        #expect(try await WorkflowWorker(engine: alive).drain() == 0)
        #expect(try await alive.resume(id).status == .pending)
        clock.advance(by: 31)
        #expect(try await WorkflowWorker(engine: alive).drain() == 1)
        #expect(try await store.workflow(id)?.status == .completed)
        #expect(await counts.attempts == 1)
        // The dead worker waking up late cannot save over the new owner's work.
        var stale = try #require(try await store.workflow(id))
        stale.status = .failed
        await #expect(throws: WorkflowError.leaseLost(id)) {
            _ = try await store.save(stale, steps: [], log: [], leaseOwner: dead.workerID, releasingLease: true)
        }
    }
}

/// Lets a step reach the engine that runs it.
actor EngineBox {
    var engine: WorkflowEngine?
    func set(_ engine: WorkflowEngine?) { self.engine = engine }
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
