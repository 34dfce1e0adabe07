import FHIR
import Fluent
import Foundation
import HCX
import RCMCore
import RevenueCycle
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
                #expect(stored.bundle == submission.bundle)
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
                let (created, isNew) = try await store.create(record, steps: steps)
                #expect(isNew)
                #expect(created == record)
                #expect(try await store.create(record, steps: steps).created == false)

                var updated = record
                updated.status = .inProgress
                var step = steps[1]
                step.status = .running
                step.attempts = 1
                step.waitKey = "hcx/claim/on_submit:abc"
                step.waitDeadline = now.addingTimeInterval(30)
                step.output = Data(#"{"ok":true}"#.utf8)
                try await store.save(updated, step: step)
                #expect(try await store.workflow(id) == updated)
                #expect(try await store.steps(of: id) == [steps[0], step])
                #expect(try await store.workflowWaiting(for: "hcx/claim/on_submit:abc") == id)

                #expect(try await store.recordEvent(key: "k1", payload: Data("first".utf8), at: now))
                #expect(try await store.recordEvent(key: "k1", payload: Data("second".utf8), at: now) == false)
                #expect(try await store.event(key: "k1") == Data("first".utf8))
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
