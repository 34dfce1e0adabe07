import FHIR
import Foundation
import HCX
import Logging
import RCMCore

/// Posts the payments payers announce over HCX `/paymentnotice/request` (a PaymentNotice, a
/// PaymentReconciliation, or a bundle of them): each payment is matched to its claim — by the
/// message's `x-hcx-workflow_id` (RCM sends the claim's id there) — and posted once per payment
/// identifier; the claim becomes `paid` (the billed amount paid) or `partially_paid`, with a
/// warning when the payment is below or above what the payer approved. A payment on a denied claim
/// leaves it denied. Unmatched payments are posted without a claim (the unmatched queue).
public struct PaymentPoster: Sendable {
    let claims: any ClaimRepository
    let messages: any HCXMessageLog
    let ledger: any PaymentLedger
    let privateKey: RSAPrivateKey
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        claims: any ClaimRepository, messages: any HCXMessageLog, ledger: any PaymentLedger,
        privateKey: RSAPrivateKey, now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.claims = claims
        self.messages = messages
        self.ledger = ledger
        self.privateKey = privateKey
        self.now = now
        self.logger = logger
    }

    /// Processes every recorded payment notice not processed yet (left by a crash), oldest first.
    @discardableResult
    public func processPending() async throws -> Int {
        try await InboundBacklog.process(.paymentNoticeRequest, messages: messages, logger: logger) {
            try await process($0)
        }
    }

    /// Decrypts a payment notice, posts its payments and marks the message processed (with the
    /// reason when the protocol rejects it).
    /// - Throws: ``HCX/HCXProtocolError`` for a message that is not a payment, or a store error.
    public func process(_ message: HCXInboundMessage) async throws {
        try await messages.process(inboundAPICallID: message.headers.apiCallID, now: now) {
            guard let envelope = message.envelope else {
                throw HCXProtocolError(.invalidPayload, message.reportedError?.description ?? "no payload")
            }
            let payments = try Self.payments(in: try envelope.open(with: privateKey))
            let claimID = try await matchedClaim(message.headers)
            for payment in payments { try await post(payment, claimID: claimID) }
        }
    }

    /// The payments in a decrypted payload.
    static func payments(in data: Data) throws -> [Payment] {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: data)
        } catch {
            throw HCXProtocolError(.invalidDomainPayload, "the payment notice is not JSON")
        }
        var resources = [json]
        if json["resourceType"]?.stringValue == "Bundle", case .array(let entries)? = json["entry"] {
            resources = entries.compactMap { $0["resource"] }
        }
        var payments: [Payment] = []
        do {
            for resource in resources {
                switch resource["resourceType"]?.stringValue {
                case "PaymentNotice": payments.append(try resource.decode(as: PaymentNotice.self).toPayment())
                case "PaymentReconciliation":
                    payments += try resource.decode(as: PaymentReconciliation.self).toPayments()
                default: continue
                }
            }
        } catch let error as FHIRError {
            throw HCXProtocolError(.invalidDomainPayload, error.description)
        }
        guard !payments.isEmpty else {
            throw HCXProtocolError(.wrongDomainPayload, "no PaymentNotice or PaymentReconciliation in the message")
        }
        return payments
    }

    /// The claim a payment message concerns: its workflow id names the claim RCM submitted.
    private func matchedClaim(_ headers: HCXHeaders) async throws -> ClaimID? {
        guard let text = headers.workflowID, let uuid = UUID(uuidString: text) else { return nil }
        let id = ClaimID(uuid)
        return (try? await claims.claim(id)) == nil ? nil : id
    }

    /// Posts a payment that arrived outside HCX (a bank transfer, a cheque, an EOB typed in):
    /// matched to `claimID` when given, else to the one claim whose identifier equals the
    /// payment's claim reference, else left in the unmatched queue. Posting the same payment
    /// identifier again changes nothing.
    /// - Parameter source: how it arrived, kept with it: `manual`, or `x12` (an 835).
    /// - Returns: the claim it was matched to, if any, and whether it was posted now.
    public func postManual(_ payment: Payment, claimID: ClaimID?, source: String = "manual") async throws -> (
        ClaimID?, posted: Bool
    ) {
        var matched = claimID
        if let claimID { _ = try await claims.claim(claimID) }  // an unknown claim posts nothing
        if matched == nil, let reference = payment.claimReference {
            let found = try await claims.claims(withIdentifierValue: reference)
            if found.count == 1 { matched = found[0] }
        }
        return (matched, try await post(payment, claimID: matched, source: source))
    }

    /// Matches a payment from the unmatched queue to a claim by hand and applies it to the claim.
    /// - Returns: the payment, or `nil` when no unmatched payment has this identifier.
    public func match(_ paymentIdentifier: String, to claimID: ClaimID) async throws -> Payment? {
        _ = try await claims.claim(claimID)
        guard let payment = try await ledger.match(paymentIdentifier, to: claimID) else { return nil }
        try await apply(payment, to: claimID)
        return payment
    }

    @discardableResult
    private func post(_ payment: Payment, claimID: ClaimID?, source: String = "hcx") async throws -> Bool {
        let posted = try await ledger.post(payment, claimID: claimID, source: source, at: now())
        if posted {
            RevenueCycleMetrics().recordCollected(payment.amount)
        } else {
            // Posted before: nothing is added; the claim's outcome is derived again below, so a
            // repeat delivery also repairs an outcome an interrupted posting left behind.
            logger.info("payment already posted", metadata: ["payment": "\(payment.identifier)"])
        }
        guard let claimID else {
            logger.warning(
                "payment matched no claim: left in the unmatched queue",
                metadata: ["payment": "\(payment.identifier)", "claim_reference": "\(payment.claimReference ?? "")"])
            return posted
        }
        try await apply(payment, to: claimID)
        return posted
    }

    /// Applies a posted payment to its claim: a warning when it is in another currency than the
    /// claim, then ``reconcile(_:)``.
    private func apply(_ payment: Payment, to claimID: ClaimID) async throws {
        let currency = try await claims.claim(claimID).claim.currency
        if payment.amount.currency != currency {
            try await claims.addFindings(
                [
                    ClaimFinding(
                        .warning, field: "PaymentNotice.amount.currency",
                        "payment \(payment.identifier) is in \(payment.amount.currency), the claim in \(currency)")
                ], outcome: nil, for: claimID)
        }
        try await reconcile(claimID)
        logger.info(
            "payment posted",
            metadata: ["claim_id": "\(claimID)", "payment": "\(payment.identifier)", "amount": "\(payment.amount)"])
    }

    /// Derives the claim's outcome from everything posted to it — once the payer has adjudicated
    /// the claim, `paid` when the payments reach the billed total, else `partially_paid`; a denied
    /// claim stays so; before adjudication (pending, failed, rejected) the outcome stays and the
    /// money is reported `unapplied` — with a warning
    /// (field `PaymentNotice.amount`, replacing the one an earlier payment left) when they are below
    /// or above what the payer approved. Runs again when the payer's answer
    /// comes after its payment notice (callbacks are not ordered), so that the warning is not lost;
    /// a claim with no payment is left as it is. Amounts are compared in the claim's currency. The
    /// claim and its payments are read and the result written while the claim is held
    /// (``ClaimRepository/reconcilePayments(for:replacingFindingsOn:_:)``), so that a payment and
    /// the payer's answer reconciled at once do not undo each other's warning.
    /// - Throws: ``ClaimNotFound`` or a store error.
    public func reconcile(_ claimID: ClaimID) async throws {
        try await claims.reconcilePayments(for: claimID, replacingFindingsOn: "PaymentNotice.amount") {
            stored, posted in
            // No payment: nothing to say (and the outcome is the payer's, or pending).
            guard !posted.isEmpty else { return ([], nil) }
            let currency = stored.claim.currency
            let paid = posted.reduce(Money.zero(currency)) { total, next in (try? total.adding(next.amount)) ?? total }
            // Not adjudicated (pending, failed, or stopped before submission): the money is held
            // unapplied and the outcome stays, so the claim stays in its queue; the payer's answer
            // reconciles again.
            guard let approved = stored.approvedTotal else {
                let why =
                    stored.outcome == .rejected
                    ? "the claim was stopped before submission (rejected): refund it or match it to another claim"
                    : "the payer has not adjudicated the claim (\(stored.outcome.rawValue)): it is applied when "
                        + "the payer's answer comes"
                return (
                    [ClaimFinding(.warning, field: "PaymentNotice.amount", "unapplied: paid \(paid) in all; \(why)")],
                    nil
                )
            }
            var findings: [ClaimFinding] = []
            if paid != approved {
                let gap = paid.amount < approved.amount ? "underpaid" : "overpaid"
                findings.append(
                    ClaimFinding(
                        .warning, field: "PaymentNotice.amount",
                        "\(gap): paid \(paid) in all, the payer approved \(approved)"))
            }
            let outcome: ClaimOutcome? =
                switch stored.outcome {
                case .denied, .rejected: nil  // a payment never turns a denial into a write-off or a payment
                default: paid.isZero ? nil : (paid.amount >= stored.claim.billedTotal.amount ? .paid : .partiallyPaid)
                }
            return (findings, outcome)
        }
    }
}
