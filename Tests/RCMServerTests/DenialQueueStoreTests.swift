import FHIR
import Fluent
import Foundation
import RCMCore
import RevenueCycle
import SQLKit
import Testing
import Vapor

@testable import RCMServer

/// The denial queue read from the keys stored with each claim (migration 0015, issue 22): the
/// order, one category, closed cases left out, and the keys written again from scratch equal to
/// the ones written as the claims changed.
@Suite(.serialized) struct DenialQueueStoreTests {
    static func submission(_ file: String) throws -> ClaimSubmission {
        try ClaimSubmission(try ClaimBundle.read(try Data(contentsOf: Samples.own(file)))[0].get())
    }

    /// Each claim's (denial_category, denial_at_stake_minor), by claim id.
    static func keys(_ app: Application) async throws -> [UUID: [String]] {
        let rows = try await (app.db as! any SQLDatabase).raw(
            "SELECT id, denial_category, denial_at_stake_minor FROM claims"
        ).all()
        var keys: [UUID: [String]] = [:]
        for row in rows {
            keys[try row.decode(column: "id", as: UUID.self)] = [
                try row.decode(column: "denial_category", as: String?.self) ?? "-",
                try row.decode(column: "denial_at_stake_minor", as: Int64?.self).map(String.init) ?? "-",
            ]
        }
        return keys
    }

    @Test(arguments: TestDatabase.available)
    func theQueueIsReadInItsOrderFromTheKeysKeptWithEachClaim(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let repository = FluentClaimRepository(database: app.db)
                // INR 2,073.00, INR 1,646.01 and a third claim that stays pending.
                let visit = try await repository.intake(Self.submission("claim-approved-outpatient-visit.json")).0
                let surgery = try await repository.intake(
                    Self.submission("claim-partially-approved-appendectomy.json")
                ).0
                let pending = try await repository.intake(Self.submission("claim-rejected-at-coding.json")).0
                #expect(try await repository.openDenials(category: nil, limit: 10).isEmpty)

                // The payer denies the surgery: nothing approved on line 1 (CARC 96, not covered), the
                // rest approved in full — INR 900.00 at stake.
                let lines = try await repository.claim(surgery).claim.lines
                try await repository.recordAdjudication(
                    ClaimAdjudication(
                        outcome: .denied,
                        lines: lines.map { line in
                            .init(
                                sequence: line.sequence, submitted: line.net,
                                approved: line.sequence == 1 ? .zero(.inr) : line.net,
                                reasons: line.sequence == 1 ? ["96"] : [])
                        },
                        approvedTotal: try lines.dropFirst().reduce(.zero(.inr)) { try $0.adding($1.net) },
                        disposition: "denied"),
                    for: surgery)
                // The visit is stopped before submission by the coding review: all of it at stake.
                try await repository.addFindings(
                    [ClaimFinding(.error, field: "Claim.diagnosis[0]", "Z99.999 is not an ICD-10-CM code")],
                    outcome: .rejected, for: visit)

                let surgeryStake = try lines[0].net.minorUnits()
                let visitStake = try await repository.claim(visit).claim.billedTotal.minorUnits()
                let written = try await Self.keys(app)
                #expect(written[visit.rawValue] == ["coding", "\(visitStake)"])
                #expect(written[surgery.rawValue] == ["non_covered", "\(surgeryStake)"])
                #expect(written[pending.rawValue] == ["-", "-"])

                let queue = try await repository.openDenials(category: nil, limit: 10)
                // The most money at stake first.
                let expected = surgeryStake > visitStake ? [surgery, visit] : [visit, surgery]
                #expect(queue.map(\.claim.id) == expected)
                #expect(try await repository.openDenials(category: nil, limit: 1).map(\.claim.id) == [expected[0]])
                #expect(try await repository.openDenials(category: .coding, limit: 10).map(\.claim.id) == [visit])
                #expect(try await repository.openDenials(category: .nonCovered, limit: 10).map(\.claim.id) == [surgery])
                #expect(try await repository.openDenials(category: .eligibility, limit: 10).isEmpty)
                // Lines with the payer's reasons, in line order; no bundles.
                let surgeryCase = try #require(queue.first { $0.claim.id == surgery })
                #expect(surgeryCase.lineReasons == [["96"]] + Array(repeating: [], count: lines.count - 1))
                #expect(throws: StoredBundleError.self) { try surgeryCase.claim.bundle() }
                #expect(surgeryCase.claim.claim == (try await repository.claim(surgery)).claim)
                // Classified as the queue shows it.
                let cases = try await DenialQueue(claims: repository, calendar: BillingCalendar()).cases()
                #expect(cases.map(\.claimID) == expected)
                #expect(cases.map(\.category) == expected.map { $0 == surgery ? .nonCovered : .coding })

                // A write-off closes the visit's case; an appeal leaves the surgery's open.
                let log = FluentDenialResolutionLog(database: app.db)
                try await log.record(
                    DenialResolution(action: .writeOff, claimID: visit, reason: "test", actor: "test", at: Date()))
                try await log.record(
                    DenialResolution(action: .appeal, claimID: surgery, reason: "test", actor: "test", at: Date()))
                #expect(try await repository.openDenials(category: nil, limit: 10).map(\.claim.id) == [surgery])
                #expect(try await repository.openDenials(category: .coding, limit: 10).isEmpty)

                // Written again from scratch: the same keys; a key on a claim outside the queue goes.
                let sql = app.db as! any SQLDatabase
                try await sql.raw("UPDATE claims SET denial_category = NULL, denial_at_stake_minor = NULL").run()
                try await sql.raw(
                    "UPDATE claims SET denial_category = 'coding' WHERE id = \(bind: pending.rawValue)"
                ).run()
                #expect(try await repository.reclassifyDenials() == 2)
                #expect(try await Self.keys(app) == written)
            }
        }
    }
}
