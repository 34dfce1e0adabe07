import FHIR
import Foundation
import Logging
import RCMCore
import Workflow
import X12

/// Reads the files an X12 payer's clearinghouse returns — 999 acknowledgments, 271 eligibility
/// answers and 835 remittances — and acts on them (`rcm x12 import`, and the inbox the workers watch).
///
/// A file is read whole before anything is posted: a file that does not parse, or an 835 whose
/// check does not balance (BPR02 ≠ Σ CLP04 − Σ PLB, and the guide's per-claim and per-line
/// balancing; ``X12/Remittance835``), is refused whole with the segment and the difference named.
///
/// **999**: each transaction set's verdict (AK2's control number is the ST02 RCM wrote, its
/// submission's control number): a rejected set stops its claim while it waits for its payer —
/// the segment and element errors become error findings (field `X12 999`), the claim is
/// `rejected` with nothing approved and enters the denial queue (next action: correct and
/// resubmit); a claim already decided (its 835 came first, or the same 999 was read before) is left
/// as it is.
///
/// **271**: each answer (TRN*2 is the trace number of RCM's 270, its interchange control number)
/// is recorded (`eligibility_checks`) and delivered to the claim's `eligibility` step: cover in force
/// when EB01 `1` is answered and no AAA rejects the inquiry; otherwise the eligibility review stops
/// the claim before it is sent, with the payer's reason. A 999 rejecting a 270 fails the step.
///
/// **835**, per transaction set (one check or EFT):
/// - posted once per payer and trace number (TRN03, else the payer's name, and TRN02): the same
///   file read again reports "already posted" and changes nothing;
/// - each CLP is matched to its claim by CLP01, the patient control number RCM sent in CLM01 (the
///   newest claim RCM submitted over X12 with it; a claim sent over HCX is never matched); an
///   unmatched CLP's payment goes to the unmatched queue (in the CUR currency, else USD);
/// - each SVC is matched to a billed line by its code as billed (SVC06 when the payer changed it),
///   with the same modifiers, else the same modifiers reordered, else a subset of them (the payer
///   dropped one), else the code alone;
/// - the claim's adjudication (the event its workflow waits on, `x12/835:<ISA13>`): per billed
///   line the amount paid (SVC03), the patient's share (Σ PR) and every adjustment as
///   `GROUP-CARC` (`CO-45`, `PR-1`: the denial queue's category comes from the CARC); a billed line
///   the payer did not return is approved nothing (`not-in-remittance`); the outcome denied for
///   status 4 and when nothing was paid or left to the patient (a zero-paid denial is a denial,
///   not a write-off), approved when paid plus patient share reach the charge, else partially
///   approved. A claim decided before (a correction after a reversal) has the new decision recorded;
/// - CLP04 is posted as a payment (identifier `835:<payer>:<trace>:<CLP position>`, idempotent),
///   a reversal (status 22) as a negative one with a warning on the claim; nothing is posted for
///   zero;
/// - provider-level adjustments (PLB) are kept with the remittance and reported, never spread over
///   claims;
/// - the remittance, each CLP with its claim and every CAS triplet (claim and line level, with the
///   billed line) are recorded last (``X12RemittanceLog``): a file re-read after a crash posts
///   again idempotently, then records.
///
/// Amounts are read in the claim's currency (X12 amounts carry none); a CUR naming another
/// currency than a claim's refuses the file (RCM does not convert). Every CLP is worked out — its
/// claim, lines, decision and payment, each amount in its currency — before anything of the file
/// is acted on, so that a file refused for one CLP posts nothing.
public struct RemittancePoster: Sendable {
    let claims: any ClaimRepository
    let submissions: any X12SubmissionLog
    let remittances: any X12RemittanceLog
    let eligibility: any EligibilityLog
    let payments: PaymentPoster
    let engine: WorkflowEngine
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        claims: any ClaimRepository, submissions: any X12SubmissionLog, remittances: any X12RemittanceLog,
        eligibility: any EligibilityLog, payments: PaymentPoster, engine: WorkflowEngine,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.claims = claims
        self.submissions = submissions
        self.remittances = remittances
        self.eligibility = eligibility
        self.payments = payments
        self.engine = engine
        self.now = now
        self.logger = logger
    }

    /// What one file did.
    public struct Report: Sendable, Hashable {
        public var remittances: [Remittance] = []
        public var acknowledgments: [Acknowledgment] = []
        public var eligibilityAnswers: [EligibilityAnswer] = []

        /// One 271 answer: the inquiry's trace number, the claim, and whether cover is in force.
        public struct EligibilityAnswer: Sendable, Hashable {
            public let traceNumber: String
            public let claimID: ClaimID?
            public let inForce: Bool
            public let description: String
        }

        /// One 835 transaction set.
        public struct Remittance: Sendable, Hashable {
            public let traceNumber: String
            public let payerName: String
            public let paymentAmount: Decimal
            public let alreadyPosted: Bool
            public let claims: [Claim]
            public let providerAdjustments: [Remittance835.ProviderAdjustment]
        }

        /// One CLP: the claim it matched (`nil`: unmatched), its status code, payment and the
        /// outcome recorded.
        public struct Claim: Sendable, Hashable {
            public let patientControlNumber: String
            public let claimID: ClaimID?
            public let status: String
            public let paid: Decimal
            public let outcome: ClaimOutcome?
        }

        /// One 999 set verdict: the control number, the claim, accepted or not, and the errors.
        public struct Acknowledgment: Sendable, Hashable {
            public let controlNumber: String
            public let claimID: ClaimID?
            public let accepted: Bool
            public let errors: [String]
        }
    }

    /// Reads one file and acts on every 999 and 835 in it.
    /// - Parameter name: the file's name, kept with what it posted.
    /// - Throws: ``X12/X12Error`` (with the segment) when the file does not parse or an 835 does
    ///   not balance — nothing of the file is posted then; a store error.
    public func importFile(_ text: String, name: String) async throws -> Report {
        let interchange = try X12Interchange(text: text)
        var acknowledgments: [ImplementationAcknowledgment999] = []
        var remittances: [Remittance835] = []
        var answers: [EligibilityResponse271] = []
        for group in interchange.groups {
            for set in group.transactionSets {
                switch set.code {
                case "999": acknowledgments.append(try ImplementationAcknowledgment999(set))
                case "835": remittances.append(try Remittance835(set))
                case "271": answers.append(try EligibilityResponse271(set))
                default:
                    throw X12Error(
                        segment: set.firstSegment, "ST01 is \(set.code): RCM reads 999, 271 and 835 transaction sets")
                }
            }
        }
        // Every 835 is worked out before anything of the file is acted on: a file is taken whole or not at all.
        var planned: [PlannedRemittance] = []
        for remittance in remittances { planned.append(try await plan(remittance)) }
        var report = Report()
        for acknowledgment in acknowledgments { report.acknowledgments += try await apply(acknowledgment) }
        for response in answers {
            for answer in response.answers { report.eligibilityAnswers.append(try await apply(answer)) }
        }
        for remittance in planned { report.remittances.append(try await post(remittance, fileName: name)) }
        return report
    }

    // MARK: 999

    private func apply(_ acknowledgment: ImplementationAcknowledgment999) async throws -> [Report.Acknowledgment] {
        var results: [Report.Acknowledgment] = []
        for set in acknowledgment.sets {
            let submission = try await Int(set.controlNumber).asyncMap {
                try await submissions.submission(controlNumber: $0)
            }
            let errors = set.errors.map(\.description) + set.codes.map { "IK5 code \($0)" }
            results.append(
                .init(
                    controlNumber: set.controlNumber, claimID: submission?.claimID, accepted: set.accepted,
                    errors: errors))
            guard let submission, !set.accepted else { continue }
            if submission.kind == .eligibilityInquiry {
                // The inquiry itself was malformed: nothing is known about the cover; the step fails
                // (resumable once the cause is fixed), its claim `failed` with the reason.
                let message =
                    "the clearinghouse rejected the 270 eligibility inquiry (IK5 \(set.status))"
                    + (errors.isEmpty ? "" : ": " + errors.joined(separator: "; "))
                try await engine.deliver(
                    eventKey: ClaimWorkflow.eligibilityResponseEventKey(
                        interchangeControlNumber: submission.interchangeControlNumber),
                    payload: StepFailure(kind: "x12-999", message: message, retryable: false).eventPayload)
                try await advance(submission.claimID)
                continue
            }
            let stored = try await claims.claim(submission.claimID)
            guard stored.outcome == .pending else {
                // Decided already (its 835 came first) or this rejection was applied before: nothing changes.
                logger.warning(
                    "a 999 rejected an interchange whose claim no longer waits for its payer: not applied",
                    metadata: ["claim_id": "\(submission.claimID)", "interchange": "\(set.controlNumber)"])
                continue
            }
            let finding = ClaimFinding(
                .error, field: "X12 999",
                "the clearinghouse rejected the 837P (interchange \(submission.interchangeControlNumber), IK5 \(set.status))"
                    + (errors.isEmpty ? "" : ": " + errors.joined(separator: "; "))
                    + ": correct the claim and resubmit")
            try await claims.addFindings([finding], outcome: nil, for: submission.claimID)
            let zero = Money.zero(stored.claim.currency)
            let refusal = ClaimAdjudication(
                outcome: .rejected,
                lines: stored.claim.lines.map {
                    .init(sequence: $0.sequence, submitted: $0.net, approved: zero, reasons: ["999-\(set.status)"])
                }, approvedTotal: zero, disposition: finding.message)
            try await deliver(refusal, to: submission)
        }
        return results
    }

    // MARK: 271

    /// Records a 271 answer for the claim whose 270 carried its trace number and delivers it to
    /// the claim's `eligibility` step: in force when EB01 `1` is answered and nothing rejected.
    private func apply(_ answer: EligibilityResponse271.Answer) async throws -> Report.EligibilityAnswer {
        let submission = try await Int(answer.traceNumber).asyncMap {
            try await submissions.submission(controlNumber: $0)
        }
        guard let submission, submission.kind == .eligibilityInquiry else {
            logger.warning("a 271 answered no inquiry of RCM's", metadata: ["trace_number": "\(answer.traceNumber)"])
            return .init(
                traceNumber: answer.traceNumber, claimID: nil, inForce: answer.isActive,
                description: answer.description)
        }
        let result = EligibilityResult(
            inForce: answer.isActive, outcome: answer.isActive ? "complete" : "error",
            disposition: answer.isActive ? "271: active coverage" : "271: \(answer.description)", benefits: [],
            errors: answer.rejectReasons.map { "AAA \($0)" })
        let key = ClaimWorkflow.eligibilityResponseEventKey(
            interchangeControlNumber: submission.interchangeControlNumber)
        if try await engine.deliver(eventKey: key, payload: try JSONEncoder().encode(result)) {
            try await eligibility.record(result, claimID: submission.claimID, correlationID: key, at: now())
            try await advance(submission.claimID)
        }
        return .init(
            traceNumber: answer.traceNumber, claimID: submission.claimID, inForce: answer.isActive,
            description: answer.description)
    }

    // MARK: 835

    /// What posting one CLP will do, worked out before anything of the file is posted.
    private struct PlannedClaim {
        let payment: Remittance835.ClaimPayment
        let claimID: ClaimID?
        let submission: X12Submission?
        let lines: [Int?]
        /// `nil` for a reversal (status 22), whose correction carries the decision.
        let adjudication: ClaimAdjudication?
        /// `nil` when nothing was paid.
        let posting: Payment?
    }

    /// One 835 set checked and worked out whole: every CLP matched, every amount in its claim's
    /// currency, every decision built.
    private struct PlannedRemittance {
        let remittance: Remittance835
        let payerKey: String
        let alreadyPosted: Bool
        let claims: [PlannedClaim]
    }

    /// Works out what an 835 set will post, changing nothing.
    /// - Throws: ``X12/X12Error`` naming the CLP: an amount finer than its currency allows, a CUR
    ///   currency that is not ISO 4217 or not the claim's.
    private func plan(_ remittance: Remittance835) async throws -> PlannedRemittance {
        let payerKey = remittance.payerTraceID ?? remittance.payerName
        if try await remittances.isPosted(payerKey: payerKey, traceNumber: remittance.traceNumber) {
            return PlannedRemittance(remittance: remittance, payerKey: payerKey, alreadyPosted: true, claims: [])
        }
        var stated: CurrencyCode?
        if let segment = remittance.currencySegment {
            do { stated = try CurrencyCode(remittance.currency) } catch {
                throw X12Error(segment: segment, "CUR02 '\(remittance.currency)' is not an ISO 4217 currency")
            }
        }
        var planned: [PlannedClaim] = []
        for (index, payment) in remittance.claims.enumerated() {
            do {
                planned.append(
                    try await plan(
                        payment, identifier: "835:\(payerKey):\(remittance.traceNumber):\(index + 1)",
                        remittance: remittance, stated: stated))
            } catch let error as X12Error {
                throw error
            } catch let error as MoneyError {
                throw X12Error(segment: payment.segmentNumber, "CLP \(payment.patientControlNumber): \(error)")
            }
        }
        return PlannedRemittance(remittance: remittance, payerKey: payerKey, alreadyPosted: false, claims: planned)
    }

    /// Works out one CLP.
    private func plan(
        _ payment: Remittance835.ClaimPayment, identifier: String, remittance: Remittance835, stated: CurrencyCode?
    ) async throws -> PlannedClaim {
        do {
            let submission = try await submissions.submissions(patientControlNumber: payment.patientControlNumber).first
            guard let submission else {
                let posting =
                    payment.paid == 0
                    ? nil
                    : try self.payment(
                        payment, identifier: identifier, remittance: remittance,
                        currency: stated ?? CurrencyCode.usd)
                return PlannedClaim(
                    payment: payment, claimID: nil, submission: nil, lines: [], adjudication: nil, posting: posting)
            }
            let stored = try await claims.claim(submission.claimID)
            if let stated, stated != stored.claim.currency {
                throw X12Error(
                    segment: payment.segmentNumber,
                    "CLP \(payment.patientControlNumber) is paid in \(stated.code) (CUR), its claim billed in "
                        + "\(stored.claim.currency.code): RCM does not convert currencies")
            }
            let lines = Self.matchLines(
                payment.services, billed: try ClaimBundle(json: try stored.bundle()).claim.billedServices)
            return PlannedClaim(
                payment: payment, claimID: submission.claimID, submission: submission, lines: lines,
                adjudication: payment.status == "22"
                    ? nil
                    : try Self.adjudication(
                        payment, lines: lines, claim: stored.claim, traceNumber: remittance.traceNumber),
                posting: payment.paid == 0
                    ? nil
                    : try self.payment(
                        payment, identifier: identifier, remittance: remittance, currency: stored.claim.currency))
        }
    }

    /// Posts a planned 835 set: decisions, payments, then the remittance record.
    private func post(_ plan: PlannedRemittance, fileName: String) async throws -> Report.Remittance {
        let remittance = plan.remittance
        guard !plan.alreadyPosted else {
            return Report.Remittance(
                traceNumber: remittance.traceNumber, payerName: remittance.payerName,
                paymentAmount: remittance.paymentAmount, alreadyPosted: true, claims: [],
                providerAdjustments: remittance.providerAdjustments)
        }
        var reported: [Report.Claim] = []
        for claim in plan.claims {
            let payment = claim.payment
            if let claimID = claim.claimID {
                if let adjudication = claim.adjudication, let submission = claim.submission {
                    try await deliver(adjudication, to: submission)
                } else {
                    try await claims.addFindings(
                        [
                            ClaimFinding(
                                .warning, field: "X12 835 CLP",
                                "835 trace \(remittance.traceNumber): the payer reversed its payment (CLP02 22, "
                                    + "\(payment.paid)); its corrected decision replaces the earlier one")
                        ], outcome: nil, for: claimID)
                }
            }
            if let posting = claim.posting {
                _ = try await payments.postManual(posting, claimID: claim.claimID, source: "x12")
            }
            reported.append(
                .init(
                    patientControlNumber: payment.patientControlNumber, claimID: claim.claimID, status: payment.status,
                    paid: payment.paid, outcome: try await claim.claimID.asyncMap { try await claims.outcome(of: $0) }))
        }
        _ = try await remittances.record(
            remittance, payerKey: plan.payerKey,
            claims: plan.claims.map {
                RemittanceClaimRecord(claimID: $0.claimID, payment: $0.payment, lineSequences: $0.lines)
            }, fileName: fileName, at: now())
        logger.info(
            "835 posted",
            metadata: [
                "trace_number": "\(remittance.traceNumber)", "claims": "\(remittance.claims.count)",
                "provider_adjustments": "\(remittance.providerAdjustments.count)",
            ])
        return Report.Remittance(
            traceNumber: remittance.traceNumber, payerName: remittance.payerName,
            paymentAmount: remittance.paymentAmount, alreadyPosted: false, claims: reported,
            providerAdjustments: remittance.providerAdjustments)
    }

    /// Delivers the decision to the claim's waiting workflow and lets it record it now; a claim
    /// whose decision was delivered before (a correction) has the new one recorded directly.
    private func deliver(_ adjudication: ClaimAdjudication, to submission: X12Submission) async throws {
        let key = ClaimWorkflow.remittanceEventKey(interchangeControlNumber: submission.interchangeControlNumber)
        let first = try await engine.deliver(eventKey: key, payload: try JSONEncoder().encode(adjudication))
        guard first else {
            try await claims.recordAdjudication(adjudication, for: submission.claimID)
            return
        }
        try await advance(submission.claimID)
    }

    /// Lets the claim's workflow take a delivered event now, rather than at a worker's next poll.
    private func advance(_ claimID: ClaimID) async throws {
        let workflow = ClaimWorkflow.workflowID(for: claimID)
        if try await engine.workflow(workflow).status.isRunnable {
            _ = try await engine.resume(workflow)
        }
    }

    /// The billed line (sequence) each SVC pays, in SVC order: the code as billed (SVC06 when
    /// sent) with the same modifiers in order, else in another order, else fewer of them, else the
    /// code alone; each billed line paid once.
    static func matchLines(_ services: [Remittance835.ServicePayment], billed: [CodingReview.Service]) -> [Int?] {
        var open = billed.map { ($0.sequence, $0.code.code.uppercased(), $0.modifiers.map { $0.uppercased() }) }
        return services.map { service in
            let code = (service.billedCode ?? service.code).uppercased()
            let modifiers = (service.billedCode != nil ? service.billedModifiers : service.modifiers).map {
                $0.uppercased()
            }
            let rules: [([String]) -> Bool] = [
                { $0 == modifiers },
                { Set($0) == Set(modifiers) },
                { Set(modifiers).isSubset(of: Set($0)) },
                { _ in true },
            ]
            for rule in rules {
                if let index = open.firstIndex(where: { $0.1 == code && rule($0.2) }) {
                    return open.remove(at: index).0
                }
            }
            return nil
        }
    }

    /// The decision a CLP carries, line by line.
    static func adjudication(
        _ payment: Remittance835.ClaimPayment, lines matched: [Int?], claim: Claim, traceNumber: String
    ) throws -> ClaimAdjudication {
        let currency = claim.currency
        func money(_ amount: Decimal) throws -> Money { try Money(amount, currency) }
        func labels(_ adjustments: [Remittance835.Adjustment]) -> [String] {
            adjustments.filter { $0.amount != 0 }.map { "\($0.group)-\($0.reason)" }
        }
        let patientShare = payment.allAdjustments.filter { $0.group == "PR" }.reduce(Decimal(0)) { $0 + $1.amount }
        var lines: [ClaimAdjudication.Line] = []
        if !payment.services.isEmpty {
            for line in claim.lines {
                guard let index = matched.firstIndex(of: line.sequence) else {
                    lines.append(
                        .init(
                            sequence: line.sequence, submitted: line.net, approved: .zero(currency),
                            reasons: ["not-in-remittance"]))
                    continue
                }
                let service = payment.services[index]
                let copay = service.adjustments.filter { $0.group == "PR" }.reduce(Decimal(0)) { $0 + $1.amount }
                lines.append(
                    .init(
                        sequence: line.sequence, submitted: line.net, approved: try money(service.paid),
                        reasons: labels(service.adjustments),
                        eligible: try service.allowed.map(money), copay: copay == 0 ? nil : try money(copay)))
            }
        }
        let outcome: ClaimOutcome =
            payment.status == "4" || payment.paid + patientShare <= 0
            ? .denied
            : try ClaimAdjudication.outcome(
                billed: try money(payment.charge), approved: try money(payment.paid + patientShare))
        let claimLevel = payment.adjustments.filter { $0.amount != 0 }
        var disposition = "835 trace \(traceNumber), CLP02 \(payment.status): paid \(payment.paid)"
        if patientShare != 0 { disposition += ", patient responsibility \(patientShare)" }
        if !claimLevel.isEmpty {
            disposition +=
                "; claim adjustments "
                + claimLevel.map { "\($0.group)-\($0.reason) \($0.amount)" }.joined(separator: ", ")
        }
        return ClaimAdjudication(
            outcome: outcome, lines: lines, approvedTotal: try money(max(payment.paid, 0)), disposition: disposition)
    }

    /// The payment a CLP posts.
    private func payment(
        _ payment: Remittance835.ClaimPayment, identifier: String, remittance: Remittance835, currency: CurrencyCode?
    ) throws -> Payment {
        return Payment(
            identifier: identifier,
            amount: try Money(payment.paid, currency ?? (try CurrencyCode(remittance.currency))),
            paymentDate: ServiceDate(x12: remittance.paymentDate), claimReference: payment.patientControlNumber,
            responseReference: payment.payerClaimControlNumber,
            kind: payment.status == "22" ? "x12-835-reversal" : "x12-835")
    }
}

extension Optional {
    /// `map` with an async transform.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
