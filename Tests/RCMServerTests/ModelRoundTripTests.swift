import FHIR
import Fluent
import FluentPostgresDriver
import Foundation
import HCX
import RCMCore
import RevenueCycle
import SQLKit
import Testing
import Vapor
import Workflow

@testable import RCMServer

/// Each core model is written and read back through the migrated schema, on SQLite and (in CI)
/// PostgreSQL: proof that the migrations create what the models expect.
@Suite(.serialized) struct ModelRoundTripTests {
    static func submission() throws -> ClaimSubmission {
        let data = try Data(contentsOf: Samples.own("claim-approved-outpatient-visit.json"))
        return try ClaimSubmission(try ClaimBundle.read(data)[0].get())
    }

    @Test(arguments: TestDatabase.available)
    func claimAndLinesRoundTripExactly(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let repository = FluentClaimRepository(database: app.db)
                let submission = try Self.submission()
                let (id, created) = try await repository.intake(submission)
                #expect(created)

                let stored = try await repository.claim(id)
                #expect(stored.claim == submission.claim)
                #expect(try stored.bundle() == submission.bundle)
                #expect(stored.outcome == .pending)
                // Cents survive: 450.50 and 10 × 12.25 = 122.50.
                #expect(stored.claim.lines[1].net == (try Money(Decimal(string: "450.50")!, .inr)))
                #expect(stored.claim.lines[2].net == (try Money(Decimal(string: "122.50")!, .inr)))
                #expect(stored.claim.billedTotal.description == "INR 2073.00")
                // Served at 00:30 India time: still 2 November, not 1 November in UTC.
                #expect(stored.claim.dateOfService.description == "2026-11-02")
                let row = try #require(try await ClaimModel.find(id.rawValue, on: app.db))
                #expect(row.billedTotalMinor == 207_300)
                #expect(row.dateOfService == "2026-11-02")

                // The same claim again is a duplicate, not a second row.
                let (again, createdAgain) = try await repository.intake(submission)
                #expect(again == id)
                #expect(!createdAgain)
                #expect(try await ClaimModel.query(on: app.db).count() == 1)
                #expect(try await ClaimLineModel.query(on: app.db).count() == 3)

                let approved = ["1500.00", "450.50", "49.49"].map { try! Money(Decimal(string: $0)!, .inr) }
                let adjudication = ClaimAdjudication(
                    outcome: .partiallyApproved,
                    lines: zip(stored.claim.lines, approved).map {
                        .init(
                            sequence: $0.sequence, submitted: $0.net, approved: $1,
                            reasons: $1 == $0.net ? [] : ["limit"])
                    },
                    approvedTotal: try Money(Decimal(string: "1999.99")!, .inr), disposition: "test")
                try await repository.recordAdjudication(adjudication, for: id)
                let adjudicated = try await repository.claim(id)
                #expect(adjudicated.outcome == .partiallyApproved)
                #expect(adjudicated.approvedTotal?.description == "INR 1999.99")
                let lines = try await ClaimLineModel.query(on: app.db).sort(\.$sequence).all()
                #expect(lines.map(\.approvedMinor) == [150_000, 45_050, 4_949])
                #expect(lines.map(\.adjudicationReasons) == ["[]", "[]", #"["limit"]"#])

                // The plain-SQL reads of the hot paths (issue 22) give what Fluent's models give.
                let model = try #require(try await ClaimModel.find(id.rawValue, on: app.db))
                let viaFluent = try model.toDomain(lines: try await model.$lines.query(on: app.db).all())
                #expect(viaFluent == adjudicated)
                #expect(try viaFluent.bundle() == adjudicated.bundle())
                #expect(try await repository.outcome(of: id) == .partiallyApproved)
                // A partly approved claim is not in the denial queue (DenialQueueStoreTests).
                #expect(try await repository.openDenials(category: nil, limit: 10).isEmpty)
                let (page, _) = try await ClaimQueries(database: app.db).page(.init(), limit: 10, after: nil)
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                #expect(
                    try encoder.encode(page.map { ClaimSummaryDTO($0) }) == encoder.encode([ClaimSummaryDTO(model)]))
                await #expect(throws: ClaimNotFound.self) { try await repository.outcome(of: ClaimID(UUID())) }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func workflowRunsStepsAndEventsRoundTrip(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let store = FluentWorkflowStore(database: app.db)
                let id = WorkflowID("claim-test-1")
                let now = Date(timeIntervalSince1970: 1_790_000_000)
                let record = WorkflowRecord(
                    id: id, definition: "claim", status: .pending, input: Data(#"{"a":1}"#.utf8), currentStep: "intake",
                    lastError: nil, createdAt: now, updatedAt: now)
                let steps = ["intake", "submit"].enumerated().map { StepRecord(workflowID: id, name: $1, position: $0) }
                let started = WorkflowLogEntry(
                    workflowID: id, step: nil, fromStatus: nil, toStatus: "PENDING", message: "started",
                    actor: "worker:a", at: now)
                let (created, isNew) = try await store.create(record, steps: steps, log: started)
                #expect(isNew)
                #expect(created == record)
                #expect(try await store.create(record, steps: steps, log: started).created == false)

                // Leases: one owner at a time, taken again after expiry, refused saves when lost.
                #expect(try await store.claimNext(owner: "worker:a", until: now + 30, now: now) == id)
                var leased = record
                leased.leaseOwner = "worker:a"
                leased.leaseExpiresAt = now + 30
                let (claimed, claimedSteps) = try #require(try await store.workflowWithSteps(id))
                #expect(claimed == leased)
                #expect(claimedSteps == steps)
                #expect(try await store.claimNext(owner: "worker:b", until: now + 30, now: now) == nil)
                #expect(try await store.acquireLease(id, owner: "worker:b", until: now + 30, now: now) == false)
                #expect(try await store.renewLease(id, owner: "worker:a", until: now + 60))

                var updated = record
                updated.status = .inProgress
                updated.nextRunAt = now.addingTimeInterval(30)
                var step = steps[1]
                step.status = .running
                step.attempts = 1
                step.waitKey = "hcx/claim/on_submit:abc"
                step.waitDeadline = now.addingTimeInterval(30)
                step.nextAttemptAt = now.addingTimeInterval(5)
                step.durationMilliseconds = 12
                step.output = Data(#"{"ok":true}"#.utf8)
                let moved = WorkflowLogEntry(
                    workflowID: id, step: nil, fromStatus: "PENDING", toStatus: "IN_PROGRESS", message: nil,
                    actor: "worker:a", at: now)
                #expect(
                    try await store.save(
                        updated, steps: [step], log: [moved], leaseOwner: "worker:a", releasingLease: false)
                        == .inProgress)
                await #expect(throws: WorkflowError.leaseLost(id)) {
                    try await store.save(updated, steps: [], log: [], leaseOwner: "worker:b", releasingLease: false)
                }
                var stored = try #require(try await store.workflow(id))
                #expect(stored.leaseOwner == "worker:a")
                stored.leaseOwner = nil
                stored.leaseExpiresAt = nil
                #expect(stored == updated)
                #expect(try await store.steps(of: id) == [steps[0], step])
                #expect(try await store.workflowWaiting(for: "hcx/claim/on_submit:abc") == id)
                #expect(try await store.logs(of: id).map(\.toStatus) == ["PENDING", "IN_PROGRESS"])

                // An operator's pause is kept over the worker's next save.
                #expect(
                    try await store.setStatus(
                        id, from: .inProgress, to: .paused, nextRunAt: nil,
                        log: WorkflowLogEntry(
                            workflowID: id, step: nil, fromStatus: "IN_PROGRESS", toStatus: "PAUSED", message: nil,
                            actor: "cli:op", at: now)))
                #expect(
                    try await store.save(updated, steps: [], log: [], leaseOwner: "worker:a", releasingLease: false)
                        == .paused)
                try await store.releaseLease(id, owner: "worker:a")
                #expect(try await store.claimNext(owner: "worker:b", until: now + 30, now: now) == nil)
                #expect(try await store.list(status: .paused, limit: 10).map(\.id) == [id])
                #expect(try await store.countInProgress() == [:])

                // Due times: a run due later is not claimed before its time, then it is.
                _ = try await store.setStatus(
                    id, from: .paused, to: .inProgress, nextRunAt: now.addingTimeInterval(100),
                    log: WorkflowLogEntry(
                        workflowID: id, step: nil, fromStatus: "PAUSED", toStatus: "IN_PROGRESS", message: nil,
                        actor: "cli:op", at: now))
                #expect(try await store.claimNext(owner: "worker:b", until: now + 30, now: now) == nil)
                #expect(
                    try await store.claimNext(owner: "worker:b", until: now + 130, now: now.addingTimeInterval(101))
                        == id)
                #expect(try await store.countInProgress() == ["claim": 1])

                // A run's last save gives its lease up in the same transaction; the next claim takes it.
                var waiting = try #require(try await store.workflow(id))
                waiting.nextRunAt = now.addingTimeInterval(200)
                #expect(
                    try await store.save(waiting, steps: [], log: [], leaseOwner: "worker:b", releasingLease: true)
                        == .inProgress)
                #expect(try await store.workflow(id)?.leaseOwner == nil)
                #expect(try await store.workflow(id)?.leaseExpiresAt == nil)
                await #expect(throws: WorkflowError.leaseLost(id)) {
                    try await store.save(waiting, steps: [], log: [], leaseOwner: "worker:b", releasingLease: false)
                }
                #expect(
                    try await store.claimNext(owner: "worker:c", until: now + 230, now: now.addingTimeInterval(150))
                        == nil)
                #expect(
                    try await store.claimNext(owner: "worker:c", until: now + 230, now: now.addingTimeInterval(200))
                        == id)
                #expect(try await store.workflow(id)?.leaseOwner == "worker:c")

                #expect(try await store.recordEvent(key: "k1", payload: Data("first".utf8), at: now))
                #expect(try await store.recordEvent(key: "k1", payload: Data("second".utf8), at: now) == false)
                #expect(try await store.event(key: "k1") == Data("first".utf8))

                // Two starts of one new id at once: one creates it, the other gets it.
                let twin = {
                    var copy = record
                    copy.id = WorkflowID("claim-test-2")
                    return copy
                }()
                let twinSteps = steps.map { step in
                    var copy = step
                    copy.workflowID = WorkflowID("claim-test-2")
                    return copy
                }
                async let first = store.create(twin, steps: twinSteps, log: started)
                async let second = store.create(twin, steps: twinSteps, log: started)
                #expect(try await [first.created, second.created].filter { $0 }.count == 1)
                #expect(try await store.steps(of: twin.id).count == 2)
            }
        }
    }

    /// Starts a pending `claim` run `id` with the named steps (and its first log entry, by `test`)
    /// and leases it to `owner` until a minute after `now`.
    /// - Returns: the run as started.
    @discardableResult
    static func startLeasedRun(
        _ id: WorkflowID, steps names: [String], owner: String, in store: FluentWorkflowStore, at now: Date
    ) async throws -> WorkflowRecord {
        let record = WorkflowRecord(
            id: id, definition: "claim", status: .pending, input: Data("{}".utf8), currentStep: nil, lastError: nil,
            createdAt: now, updatedAt: now)
        _ = try await store.create(
            record, steps: names.enumerated().map { StepRecord(workflowID: id, name: $1, position: $0) },
            log: WorkflowLogEntry(
                workflowID: id, step: nil, fromStatus: nil, toStatus: "PENDING", message: nil, actor: "test", at: now))
        #expect(try await store.acquireLease(id, owner: owner, until: now + 60, now: now))
        return record
    }

    /// Many runs saved at the same time (on PostgreSQL, written together by the store's group
    /// commit): each run's transitions land in order with their log entries, and a run whose lease
    /// another worker holds gets `leaseLost` with nothing of it written.
    @Test(arguments: TestDatabase.available)
    func runsSavedAtTheSameTimeAreEachWrittenInOrder(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let store = FluentWorkflowStore(database: app.db)
                let now = Date(timeIntervalSince1970: 1_790_000_000)
                let ids = (0..<24).map { WorkflowID("run-\($0)") }
                let stolen = ids[7]
                for id in ids {
                    try await Self.startLeasedRun(
                        id, steps: ["intake", "submit"], owner: id == stolen ? "worker:b" : "worker:a", in: store,
                        at: now)
                }
                // Each run: start `intake`, then complete it and start `submit` (two saves in order).
                let results = try await withThrowingTaskGroup(of: (WorkflowID, String).self) { group in
                    for id in ids {
                        group.addTask {
                            var run = WorkflowRecord(
                                id: id, definition: "claim", status: .inProgress, input: Data("{}".utf8),
                                currentStep: "intake", lastError: nil, createdAt: now, updatedAt: now)
                            var intake = StepRecord(workflowID: id, name: "intake", position: 0)
                            intake.status = .running
                            intake.attempts = 1
                            intake.startedAt = now
                            let entry = { (step: String, from: String, to: String) in
                                WorkflowLogEntry(
                                    workflowID: id, step: step, fromStatus: from, toStatus: to, message: nil,
                                    actor: "worker:a", at: now)
                            }
                            do {
                                _ = try await store.save(
                                    run, steps: [intake], log: [entry("intake", "PENDING", "RUNNING")],
                                    leaseOwner: "worker:a", releasingLease: false)
                                intake.status = .completed
                                intake.finishedAt = now + 1
                                intake.output = Data(#"{"id":"\#(id.rawValue)"}"#.utf8)
                                var submit = StepRecord(workflowID: id, name: "submit", position: 1)
                                submit.status = .running
                                submit.attempts = 1
                                run.currentStep = "submit"
                                let status = try await store.save(
                                    run, steps: [intake, submit],
                                    log: [
                                        entry("intake", "RUNNING", "COMPLETED"), entry("submit", "PENDING", "RUNNING"),
                                    ],
                                    leaseOwner: "worker:a", releasingLease: true)
                                return (id, status.rawValue)
                            } catch WorkflowError.leaseLost(let lost) {
                                return (id, "lease lost: \(lost)")
                            }
                        }
                    }
                    var results: [WorkflowID: String] = [:]
                    for try await (id, result) in group { results[id] = result }
                    return results
                }
                for id in ids {
                    let steps = try await store.steps(of: id)
                    let logs = try await store.logs(of: id)
                    if id == stolen {
                        #expect(results[id] == "lease lost: \(id)")
                        #expect(steps.map(\.status) == [.pending, .pending])
                        #expect(logs.count == 1)
                        #expect(try await store.workflow(id)?.leaseOwner == "worker:b")
                        continue
                    }
                    #expect(results[id] == "IN_PROGRESS")
                    #expect(steps.map(\.status) == [.completed, .running])
                    #expect(steps[0].output == Data(#"{"id":"\#(id.rawValue)"}"#.utf8))
                    #expect(
                        logs.map { "\($0.step ?? "-") \($0.toStatus)" }
                            == ["- PENDING", "intake RUNNING", "intake COMPLETED", "submit RUNNING"])
                    #expect(try await store.workflow(id)?.leaseOwner == nil)
                }
            }
        }
    }

    /// PostgreSQL: a transition the server rejects (a NUL character, which `text` cannot hold) fails
    /// alone, with PostgreSQL's error; the runs saved with it in the same group commit are written.
    @Test(.enabled(if: TestDatabase.adminURL != nil))
    func aRejectedTransitionFailsAloneInItsGroup() async throws {
        try await TestDatabase.postgres.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let store = FluentWorkflowStore(database: app.db)
                let now = Date(timeIntervalSince1970: 1_790_000_000)
                let ids = (0..<30).map { WorkflowID("run-\($0)") }
                let bad = ids[17]
                for id in ids {
                    try await Self.startLeasedRun(id, steps: ["intake"], owner: "worker:a", in: store, at: now)
                }
                let failed = try await withThrowingTaskGroup(of: WorkflowID?.self) { group in
                    for id in ids {
                        group.addTask {
                            var step = StepRecord(workflowID: id, name: "intake", position: 0)
                            step.status = .completed
                            step.attempts = 1
                            step.output = Data((id == bad ? "{\"a\":\"\u{0}\"}" : "{}").utf8)
                            do {
                                _ = try await store.save(
                                    WorkflowRecord(
                                        id: id, definition: "claim", status: .completed, input: Data("{}".utf8),
                                        currentStep: "intake", lastError: nil, createdAt: now, updatedAt: now),
                                    steps: [step], log: [], leaseOwner: "worker:a", releasingLease: true)
                                return nil
                            } catch let error as PSQLError {
                                #expect(error.serverInfo != nil, "\(String(reflecting: error))")
                                return id
                            }
                        }
                    }
                    var failed: [WorkflowID] = []
                    for try await id in group { if let id { failed.append(id) } }
                    return failed
                }
                #expect(failed == [bad])
                for id in ids where id != bad {
                    #expect(try await store.workflow(id)?.status == .completed)
                }
                #expect(try await store.workflow(bad)?.status == .pending)
            }
        }
    }

    /// PostgreSQL: a worker's statement that does not answer in time (here: a transition waiting
    /// on a row another session holds) fails with `WorkflowStatementTimedOut` instead of holding its
    /// worker forever, and the store goes on working once the row is free.
    @Test(.enabled(if: TestDatabase.adminURL != nil))
    func aStatementThatDoesNotAnswerTimesOut() async throws {
        try await TestDatabase.postgres.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let store = FluentWorkflowStore(database: app.db, statementTimeoutSeconds: 1)
                let id = WorkflowID("run-locked")
                let now = Date(timeIntervalSince1970: 1_790_000_000)
                let record = try await Self.startLeasedRun(
                    id, steps: ["intake"], owner: "worker:a", in: store, at: now)
                var running = record
                running.status = .inProgress
                let holder = Task {
                    try await app.db.transaction { transaction in
                        let sql = try #require(transaction as? any SQLDatabase)
                        try await sql.raw("SELECT id FROM workflow_state WHERE id = \(bind: id.rawValue) FOR UPDATE")
                            .run()
                        try await Task.sleep(for: .seconds(3))
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
                let started = ContinuousClock.now
                await #expect(throws: WorkflowStatementTimedOut.self) {
                    try await store.save(running, steps: [], log: [], leaseOwner: "worker:a", releasingLease: false)
                }
                #expect(ContinuousClock.now - started < .seconds(2.5))
                try await holder.value
                #expect(
                    try await store.save(running, steps: [], log: [], leaseOwner: "worker:a", releasingLease: false)
                        == .inProgress)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func hcxMessagesAreRecordedOncePerAPICallID(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let (claimID, _) = try await FluentClaimRepository(database: app.db).intake(try Self.submission())
                let log = FluentHCXMessageLog(database: app.db)
                let headers = HCXHeaders(
                    senderCode: "provider", recipientCode: "payer", apiCallID: "api-1", correlationID: "corr-1",
                    workflowID: "wf-1", timestamp: "2026-11-29T10:00:00+05:30")
                let message = HCXMessageRecord(
                    direction: .outbound, operation: .claimSubmit, headers: headers, claimID: claimID,
                    body: #"{"payload":"a.b.c.d.e"}"#, createdAt: Date())
                #expect(try await log.record(message))
                #expect(try await log.record(message) == false)
                try await log.setAcknowledgement(#"{"timestamp":1}"#, apiCallID: "api-1", direction: .outbound)
                let found = try #require(try await log.outbound(.claimSubmit, correlationID: "corr-1"))
                #expect(found.claimID == claimID)
                #expect(found.body == message.body)
                #expect(found.acknowledgement == #"{"timestamp":1}"#)
                #expect(try await log.outbound(.claimSubmit, claimID: claimID)?.apiCallID == "api-1")
                #expect(try await log.outbound(.claimSubmit, correlationID: "other") == nil)
            }
        }
    }
}
