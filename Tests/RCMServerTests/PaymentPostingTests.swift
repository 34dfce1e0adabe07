import FHIR
import Fluent
import Foundation
import HCX
import Logging
import RCMCore
import RevenueCycle
import Testing
import Vapor

@testable import RCMServer

/// Payment posting over a real database: matched by the message's workflow id, posted once per
/// payment identifier, paid in full or in part, under- and over-payments flagged, denials left
/// denied, strays left unmatched.
@Suite struct PaymentPostingTests {
    static let key = try! RSAPrivateKey.generate()

    /// A payment notice from the payer for `claim`, as the gateway delivers it.
    static func notice(_ identifier: String, amount: Decimal, workflowID: String?) throws -> HCXInboundMessage {
        let payment = Payment(
            identifier: identifier, amount: try Money(amount, .inr),
            paymentDate: try ServiceDate(iso8601: "2026-11-29"),
            claimReference: nil, responseReference: nil, kind: "paid")
        let resource = PaymentNotice(
            payment: payment, request: Reference(reference: "Claim/x"), response: nil,
            provider: Reference(reference: "Organization/p"), recipient: Reference(reference: "Organization/p"),
            created: "2026-11-29")
        let headers = HCXHeaders(
            senderCode: "payer", recipientCode: "provider", correlationID: UUID().uuidString, workflowID: workflowID,
            timestamp: HCXTimestamp.string(from: Date()))
        let envelope = try HCXEnvelope.seal(try JSONEncoder().encode(resource), headers: headers, to: key.publicKey)
        return try HCXInboundMessage(body: try JSONEncoder().encode(envelope.body))
    }

    /// The claim repository, the ledger and the poster over one database, as `ClaimServices` wires
    /// them (on SQLite, one connection: `app.db` taken once per store would open several, and
    /// writes at once would meet "database is locked").
    static func posting(on app: Application) -> (FluentClaimRepository, FluentPaymentLedger, PaymentPoster) {
        let database = app.db
        let claims = FluentClaimRepository(database: database)
        let ledger = FluentPaymentLedger(database: database)
        let poster = PaymentPoster(
            claims: claims, messages: FluentHCXMessageLog(database: database), ledger: ledger, privateKey: key,
            now: Date.init, logger: Logger(label: "test"))
        return (claims, ledger, poster)
    }

    /// Takes the test submission in and records the payer's approval of it in full.
    /// - Returns: the claim's id and its workflow id as payment notices name it.
    static func approvedClaim(in claims: FluentClaimRepository) async throws -> (ClaimID, workflow: String) {
        let (id, _) = try await claims.intake(try ModelRoundTripTests.submission())
        try await claims.recordAdjudication(approvedInFull(try await claims.claim(id).claim), for: id)
        return (id, id.rawValue.uuidString.lowercased())
    }

    /// Migrates `app`'s database and takes the test submission in, not yet adjudicated.
    static func claimTakenIn(on app: Application) async throws -> (FluentClaimRepository, PaymentPoster, ClaimID) {
        try await app.autoMigrate()
        let (claims, _, poster) = posting(on: app)
        let (id, _) = try await claims.intake(try ModelRoundTripTests.submission())
        return (claims, poster, id)
    }

    /// The payer's answer approving every line of the claim in full.
    static func approvedInFull(_ claim: Claim) -> ClaimAdjudication {
        ClaimAdjudication(
            outcome: .approved,
            lines: claim.lines.map { .init(sequence: $0.sequence, submitted: $0.net, approved: $0.net, reasons: []) },
            approvedTotal: claim.billedTotal, disposition: nil)
    }

    @Test(arguments: TestDatabase.available)
    func paymentsArePostedOnceAndSetTheOutcome(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let (claims, ledger, poster) = Self.posting(on: app)
                let (id, workflow) = try await Self.approvedClaim(in: claims)

                // Part of it, then the same payment again (delivered twice), then the rest.
                try await poster.process(try Self.notice("PAY-1", amount: 1000, workflowID: workflow))
                var stored = try await claims.claim(id)
                #expect(stored.outcome == .partiallyPaid)
                #expect(
                    stored.claim.findings.last?.message
                        == "underpaid: paid INR 1000.00 in all, the payer approved INR 2073.00")
                try await poster.process(try Self.notice("PAY-1", amount: 1000, workflowID: workflow))
                #expect(try await ledger.payments(for: id).count == 1)
                try await poster.process(try Self.notice("PAY-2", amount: 1073, workflowID: workflow))
                stored = try await claims.claim(id)
                #expect(stored.outcome == .paid)
                // Paid in full now: the underpaid warning the first payment left is gone.
                #expect(!stored.claim.findings.contains { $0.field == "PaymentNotice.amount" })
                #expect(try await ledger.payments(for: id).map(\.amount.description) == ["INR 1000.00", "INR 1073.00"])

                // A payment that names no claim RCM knows waits in the unmatched queue.
                try await poster.process(try Self.notice("PAY-3", amount: 5, workflowID: "not-a-claim"))
                #expect(
                    try await PaymentModel.query(on: app.db).filter(\.$paymentIdentifier == "PAY-3").first()?.$claim.id
                        == nil)

                // A zero payment on a denied claim leaves it denied (never a write-off).
                let (other, _) = try await claims.intake(
                    try ClaimSubmission(
                        try ClaimBundle.read(
                            try Data(contentsOf: Samples.own("claim-partially-approved-appendectomy.json")))[0]
                            .get()))
                try await claims.setOutcome(.denied, for: other)
                try await poster.process(
                    try Self.notice("PAY-4", amount: 0, workflowID: other.rawValue.uuidString.lowercased()))
                #expect(try await claims.claim(other).outcome == .denied)
            }
        }
    }

    /// Callbacks are not ordered: a payment notice can arrive before the payer's answer. The
    /// payment is posted at once but held unapplied (the claim stays pending, in its queue); when
    /// the answer is recorded, `reconcile` applies it and compares it with the approved amount.
    @Test(arguments: TestDatabase.available)
    func aPaymentThatOvertookTheAnswerIsReconciledWhenTheAnswerComes(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                let (claims, poster, id) = try await Self.claimTakenIn(on: app)
                let billed = try await claims.claim(id).claim
                try await poster.reconcile(id)  // nothing posted: nothing changes
                #expect(try await claims.claim(id).outcome == .pending)

                try await poster.process(
                    try Self.notice("PAY-9", amount: 1000, workflowID: id.rawValue.uuidString.lowercased()))
                var stored = try await claims.claim(id)
                #expect(stored.outcome == .pending)
                #expect(
                    stored.claim.findings.filter { $0.field == "PaymentNotice.amount" }.map(\.message) == [
                        "unapplied: paid INR 1000.00 in all; the payer has not adjudicated the claim (pending): it is "
                            + "applied when the payer's answer comes"
                    ])

                // The payer's answer: everything approved; the claim stays partially paid.
                try await claims.recordAdjudication(Self.approvedInFull(billed), for: id)
                try await poster.reconcile(id)
                try await poster.reconcile(id)  // again: the warning is not repeated
                stored = try await claims.claim(id)
                #expect(stored.outcome == .partiallyPaid)
                #expect(
                    stored.claim.findings.filter { $0.field == "PaymentNotice.amount" }.map(\.message) == [
                        "underpaid: paid INR 1000.00 in all, the payer approved INR 2073.00"
                    ])

                // A denial that comes after a payment stands: the claim is denied (in the denial
                // queue), the payment stays posted, with an overpaid warning — as when the denial
                // comes first.
                let (denied, _) = try await claims.intake(
                    try ClaimSubmission(
                        try ClaimBundle.read(
                            try Data(contentsOf: Samples.own("claim-partially-approved-appendectomy.json")))[0]
                            .get()))
                let deniedClaim = try await claims.claim(denied).claim
                try await poster.process(
                    try Self.notice("PAY-10", amount: 500, workflowID: denied.rawValue.uuidString.lowercased()))
                #expect(try await claims.claim(denied).outcome == .pending)
                let zero = Money.zero(deniedClaim.currency)
                try await claims.recordAdjudication(
                    ClaimAdjudication(
                        outcome: .denied,
                        lines: deniedClaim.lines.map {
                            .init(
                                sequence: $0.sequence, submitted: $0.net, approved: zero, reasons: ["excluded-service"])
                        }, approvedTotal: zero, disposition: "Denied"), for: denied)
                try await poster.reconcile(denied)
                stored = try await claims.claim(denied)
                #expect(stored.outcome == .denied)
                #expect(
                    stored.claim.findings.filter { $0.field == "PaymentNotice.amount" }.map(\.message) == [
                        "overpaid: paid INR 500.00 in all, the payer approved INR 0.00"
                    ])
            }
        }
    }

    /// A payment on a claim that is then stopped before submission (the coding review rejects it)
    /// does not make it paid: the claim stays rejected, in the denial queue, and the money is
    /// reported unapplied (issue 19: 16,500.00 posted on 2,073.00 billed turned a rejected claim paid).
    @Test(arguments: TestDatabase.available)
    func aPaymentOnAClaimStoppedBeforeSubmissionLeavesItRejected(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                let (claims, poster, id) = try await Self.claimTakenIn(on: app)
                let payment = { (identifier: String) in
                    Payment(
                        identifier: identifier, amount: try Money(8250, .inr), paymentDate: nil, claimReference: nil,
                        responseReference: nil, kind: "payment")
                }
                _ = try await poster.postManual(try payment("CHQ-1"), claimID: id)
                #expect(try await claims.claim(id).outcome == .pending)
                try await claims.addFindings(
                    [ClaimFinding(.error, field: "Claim.diagnosis[0]", "not a billable code")], outcome: .rejected,
                    for: id)
                _ = try await poster.postManual(try payment("CHQ-2"), claimID: id)
                let stored = try await claims.claim(id)
                #expect(stored.outcome == .rejected)
                #expect(
                    stored.claim.findings.filter { $0.field == "PaymentNotice.amount" }.map(\.message) == [
                        "unapplied: paid INR 16500.00 in all; the claim was stopped before submission (rejected): "
                            + "refund it or match it to another claim"
                    ])
            }
        }
    }

    /// Four payments of one claim posted at the same time (on PostgreSQL, on separate connections;
    /// fewer than the pool's connections, so that none waits for one — with twelve, a loaded CI
    /// machine timed a connection request out) are all posted, and the claim ends with one gap
    /// warning naming their total, not one per payment. (Each reconciles while holding the claim;
    /// this run does not force the interleaving in which a reconciliation without the hold would
    /// write stale figures.)
    @Test(arguments: TestDatabase.available)
    func paymentsPostedAtOnceLeaveOneWarningWithTheirTotal(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let (claims, _, poster) = Self.posting(on: app)
                let (id, workflow) = try await Self.approvedClaim(in: claims)
                let notices = try (1...4).map { try Self.notice("PAY-C\($0)", amount: 100, workflowID: workflow) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for notice in notices { group.addTask { try await poster.process(notice) } }
                    try await group.waitForAll()
                }
                let stored = try await claims.claim(id)
                #expect(stored.outcome == .partiallyPaid)
                #expect(
                    stored.claim.findings.filter { $0.field == "PaymentNotice.amount" }.map(\.message) == [
                        "underpaid: paid INR 400.00 in all, the payer approved INR 2073.00"
                    ])
            }
        }
    }
}
