import FHIR
import Foundation
import HCX
import Logging
import RCMCore
import Workflow

/// The claim workflow (docs DESIGN.md §4): `intake` → `coding` → `scrub` → `eligibility` (ask the payer over
/// `/coverageeligibility/check`, wait for `on_check`) → `eligibility_review` → `preauthorization`
/// (over `/preauth/submit` when the payer's configuration requires it, wait for `on_submit`) →
/// `preauthorization_review` (the reference goes on the claim, or a refusal stops it) → `submit` →
/// `adjudication` (wait for `/claim/on_submit`) → `record_outcome`. A claim the coding review or
/// the scrub edits find errors in, or whose coverage is not in force on its date of service, is `rejected`
/// before submission (denial prevention): the later steps are skipped. When the payer does not answer by
/// the deadline, the `adjudication` step fails; resuming it re-sends the recorded submission and
/// waits again.
///
/// Later work inserts eligibility, coding, scrubbing, pre-auth, payment posting and denial
/// management between and after these steps.
public enum ClaimWorkflow {
    /// The definition name stored on each run.
    public static let name = "claim"

    /// Step names, in order.
    public enum Step {
        public static let intake = "intake"
        public static let coding = "coding"
        public static let scrub = "scrub"
        public static let eligibility = "eligibility"
        public static let eligibilityReview = "eligibility_review"
        public static let preauthorization = "preauthorization"
        public static let preauthorizationReview = "preauthorization_review"
        public static let submit = "submit"
        public static let adjudication = "adjudication"
        public static let recordOutcome = "record_outcome"
    }

    /// The run id of a claim's workflow: `claim-<claim uuid>`.
    public static func workflowID(for claim: ClaimID) -> WorkflowID { WorkflowID("claim-\(claim)") }

    /// The event a claim waits on for its adjudication: the `/claim/on_submit` of its cycle.
    public static func adjudicationEventKey(correlationID: String) -> String {
        "hcx\(HCXOperation.claimOnSubmit.path):\(correlationID)"
    }

    /// The event a claim waits on for its pre-authorisation: the `/preauth/on_submit` of its cycle.
    public static func preauthorizationEventKey(correlationID: String) -> String {
        "hcx\(HCXOperation.preauthOnSubmit.path):\(correlationID)"
    }

    /// The event a claim waits on for its eligibility answer: the `/coverageeligibility/on_check` of its cycle.
    public static func eligibilityEventKey(correlationID: String) -> String {
        "hcx\(HCXOperation.coverageEligibilityOnCheck.path):\(correlationID)"
    }

    /// The input of a claim workflow run.
    public struct Input: Codable, Sendable, Hashable {
        public let claimID: ClaimID
        /// The day the scrub edits take as today (the future-date and timely-filing edits), for
        /// processing a backlog as of the day it is billed (`rcm process --as-of`); `nil`: the
        /// ``BillingCalendar``'s today when the scrub step runs. JSON `"asOf": "YYYY-MM-DD"`, absent when nil.
        public let asOf: ServiceDate?

        public init(claimID: ClaimID, asOf: ServiceDate? = nil) {
            self.claimID = claimID
            self.asOf = asOf
        }
    }

    /// The output of a review step (`coding`, `scrub`, `eligibility_review`): what it found, and
    /// whether the claim stops there.
    public struct Coding: Codable, Sendable, Hashable {
        public let findings: [ClaimFinding]
        public var rejected: Bool { findings.contains { $0.severity == .error } }
    }

    /// The event an X12 claim waits on for its adjudication: the 835 (or a 999 rejecting it) for
    /// its interchange.
    public static func remittanceEventKey(interchangeControlNumber: String) -> String {
        "x12/835:\(interchangeControlNumber)"
    }

    /// The event an X12 claim's `eligibility` step waits on: the 271 answering its 270.
    public static func eligibilityResponseEventKey(interchangeControlNumber: String) -> String {
        "x12/271:\(interchangeControlNumber)"
    }

    /// The output of the `submit` step: over HCX the ids of the cycle; over X12 the interchange's
    /// control number (ISA13) as `correlationID` and its file name as `apiCallID`.
    public struct Submission: Codable, Sendable, Hashable {
        /// How a claim was sent (JSON `"transport"`: absent for runs recorded before X12, meaning HCX).
        public enum Transport: String, Codable, Sendable {
            case hcx, x12
        }

        public let correlationID: String
        public let apiCallID: String
        public let transport: Transport?

        public init(correlationID: String, apiCallID: String, transport: Transport? = nil) {
            self.correlationID = correlationID
            self.apiCallID = apiCallID
            self.transport = transport
        }

        /// The event the `adjudication` step waits on for this submission.
        public var adjudicationEventKey: String {
            transport == .x12
                ? ClaimWorkflow.remittanceEventKey(interchangeControlNumber: correlationID)
                : ClaimWorkflow.adjudicationEventKey(correlationID: correlationID)
        }
    }

    /// Builds the definition.
    /// - Parameters:
    ///   - adjudicationTimeoutSeconds: how long the `adjudication` step waits for the payer, in seconds.
    ///   - coding: the coding review (the code sets for the date of service).
    ///   - payers: the payer configurations the scrub edits apply (timely filing).
    ///   - calendar: today for the scrub edits, unless the run's input fixes its ``Input/asOf`` day.
    ///   - payments: reconciles payments posted before the payer's answer was recorded (a payment
    ///     notice may overtake its claim response) with the approved amount.
    public static func definition(
        claims: any ClaimRepository, submitter: ClaimSubmitter, router: SubmissionRouter, coding: CodingReview,
        payers: any PayerDirectory,
        activity: any ClaimActivityLog, payments: PaymentPoster, adjudicationTimeoutSeconds: TimeInterval,
        calendar: BillingCalendar, now: @escaping @Sendable () -> Date
    ) -> WorkflowDefinition {
        /// Records a review's findings and, when it rejects, the outcome change in the audit trail.
        @Sendable func record(_ review: Coding, _ context: StepContext, _ id: ClaimID) async throws {
            guard !review.findings.isEmpty else { return }
            let actor = "system:\(context.workerID)"
            try await activity.atomically {
                let before = try await claims.outcome(of: id)
                try await claims.addFindings(review.findings, outcome: review.rejected ? .rejected : nil, for: id)
                let after = try await claims.outcome(of: id)
                if after != before {
                    try await activity.recordOutcome(
                        id, from: before, to: after, decision: .rejected, action: "claim.reject", actor: actor)
                }
            }
        }
        /// Whether a review step that ran (coding, scrub, eligibility review) rejected the claim.
        func rejectedBy(_ steps: [String]) -> @Sendable (StepContext) throws -> Bool {
            { context in
                try steps.contains { step in
                    guard let output = context.outputs[step] else { return false }
                    return try JSONDecoder().decode(Coding.self, from: output).rejected
                }
            }
        }
        let codingRejected = rejectedBy([Step.coding])
        let reviewRejected = rejectedBy([Step.coding, Step.scrub])
        let rejectedBeforePreauthorization = rejectedBy([Step.coding, Step.scrub, Step.eligibilityReview])
        let rejected = rejectedBy([Step.coding, Step.scrub, Step.eligibilityReview, Step.preauthorizationReview])
        /// What the `preauthorization` step records when the payer's configuration asks for none.
        let notRequired = Data(#"{"required":false}"#.utf8)
        return WorkflowDefinition(
            name: name,
            steps: [
                WorkflowStep(Step.intake) { context in
                    let input = try context.input(as: Input.self)
                    let stored = try await claims.claim(input.claimID)
                    return try .completed(encoding: stored.claim.findings)
                },
                WorkflowStep(Step.coding) { context in
                    let input = try context.input(as: Input.self)
                    let stored = try await claims.claim(input.claimID)
                    let claim = try ClaimBundle(json: stored.bundle()).claim
                    let review = Coding(
                        findings: coding.review(
                            diagnoses: stored.claim.diagnoses, procedures: claim.procedureCodes,
                            services: claim.billedServices, dateOfService: stored.claim.dateOfService))
                    try await record(review, context, input.claimID)
                    return try .completed(encoding: review)
                },
                WorkflowStep(Step.scrub, skipIf: codingRejected) { context in
                    let input = try context.input(as: Input.self)
                    let stored = try await claims.claim(input.claimID)
                    let claim = stored.claim
                    // A claim stopped before submission was never billed: its correction is no duplicate.
                    let others = try await claims.claims(like: claim, takenInBefore: input.claimID)
                        .filter { $0.outcome != .rejected }.map { ($0.id, $0.claim) }
                    let payer = try await payers.configuration(for: claim.payer)
                    var findings = ClaimScrubber().review(
                        claim, today: calendar.fixed(at: input.asOf).today(), others: others, payer: payer)
                    if let payer, case .x12(let receiver) = payer.transport {
                        findings += X12ClaimEdits.findings(stored, payer: payer, receiver: receiver)
                    }
                    let review = Coding(findings: findings)
                    try await record(review, context, input.claimID)
                    return try .completed(encoding: review)
                },
                WorkflowStep(Step.eligibility, skipIf: reviewRejected) { context in
                    let input = try context.input(as: Input.self)
                    return .wait(
                        eventKey: try await router.requestEligibility(input.claimID),
                        deadline: now().addingTimeInterval(adjudicationTimeoutSeconds))
                },
                WorkflowStep(Step.eligibilityReview, skipIf: reviewRejected) { context in
                    let input = try context.input(as: Input.self)
                    let result = try context.output(of: Step.eligibility, as: EligibilityResult.self)
                    guard !result.inForce else { return try .completed(encoding: Coding(findings: [])) }
                    let reason = result.disposition ?? result.errors.joined(separator: "; ")
                    let review = Coding(findings: [
                        ClaimFinding(
                            .error, field: "Claim.insurance[0].coverage",
                            "the payer does not confirm cover on the date of service (\(reason.isEmpty ? "no reason given" : reason)): "
                                + "check the member's policy, or bill the patient or another payer")
                    ])
                    try await record(review, context, input.claimID)
                    return try .completed(encoding: review)
                },
                // Pre-authorisation, when the payer's configuration asks for it (docs DESIGN.md §4):
                // the claim's services as `use = preauthorization` over /preauth/submit, waiting
                // for /preauth/on_submit; a resumed attempt re-sends the recorded request.
                WorkflowStep(Step.preauthorization, skipIf: rejectedBeforePreauthorization) { context in
                    let input = try context.input(as: Input.self)
                    let claim = try await claims.claim(input.claimID).claim
                    // X12 payers: the scrub stops a claim needing pre-authorisation (no 278 here).
                    guard let payer = try await payers.configuration(for: claim.payer),
                        payer.preauthorizationReason(for: claim) != nil, payer.transport == .hcx
                    else { return .completed(notRequired) }
                    let request = try await submitter.requestPreauthorization(input.claimID)
                    return .wait(
                        eventKey: preauthorizationEventKey(correlationID: request.correlationID),
                        deadline: now().addingTimeInterval(adjudicationTimeoutSeconds))
                },
                WorkflowStep(Step.preauthorizationReview, skipIf: rejectedBeforePreauthorization) { context in
                    let input = try context.input(as: Input.self)
                    guard let output = context.outputs[Step.preauthorization], output != notRequired else {
                        return try .completed(encoding: Coding(findings: []))
                    }
                    let decision = try JSONDecoder().decode(ClaimAdjudication.self, from: output)
                    let field = "Claim.insurance[0].preAuthRef"
                    if let reference = decision.preAuthRef, !decision.approvedTotal.isZero {
                        try await claims.attachPreAuthorization(reference, for: input.claimID)
                        let note = ClaimFinding(
                            .warning, field: field,
                            "pre-authorised by the payer as \(reference), up to \(decision.approvedTotal)")
                        try await claims.addFindings([note], outcome: nil, for: input.claimID)
                        return try .completed(encoding: Coding(findings: [note]))
                    }
                    let reasons = Array(Set(decision.lines.flatMap(\.reasons))).sorted()
                    let refusal = ClaimFinding(
                        .error, field: field,
                        "the payer refused pre-authorisation"
                            + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: ", ")))")
                            + ": not submitted; obtain authorisation, change the services, or bill the patient")
                    let review = Coding(findings: [refusal])
                    try await record(review, context, input.claimID)
                    return try .completed(encoding: review)
                },
                WorkflowStep(Step.submit, skipIf: rejected) { context in
                    let input = try context.input(as: Input.self)
                    return try .completed(encoding: try await router.submit(input.claimID))
                },
                WorkflowStep(Step.adjudication, skipIf: rejected) { context in
                    var submission = try context.output(of: Step.submit, as: Submission.self)
                    if context.attempt > 1 {
                        // The payer did not answer in time: send the recorded envelope again, with
                        // the same ids (a gateway that has it answers "duplicate api_call_id",
                        // which counts as delivered), then wait anew.
                        submission = try await router.submit(try context.input(as: Input.self).claimID)
                    }
                    return .wait(
                        eventKey: submission.adjudicationEventKey,
                        deadline: now().addingTimeInterval(adjudicationTimeoutSeconds))
                },
                WorkflowStep(Step.recordOutcome, skipIf: rejected) { context in
                    let input = try context.input(as: Input.self)
                    let adjudication = try context.output(of: Step.adjudication, as: ClaimAdjudication.self)
                    let actor = "system:\(context.workerID)"
                    try await activity.atomically {
                        let before = try await claims.outcome(of: input.claimID)
                        try await claims.recordAdjudication(adjudication, for: input.claimID)
                        let after = try await claims.outcome(of: input.claimID)
                        // Audited even when the stored outcome stays: a payment notice that overtook
                        // the payer's answer has already made the claim paid.
                        try await activity.recordOutcome(
                            input.claimID, from: before, to: after, decision: adjudication.outcome,
                            action: "claim.adjudicate", actor: actor)
                    }
                    RevenueCycleMetrics().recordDecision(
                        adjudication, payer: try await claims.claim(input.claimID).claim.payer)
                    // What the payer cut, line by line, with its reasons, for the biller (not the
                    // patient's share: co-pays and deductibles are not denials).
                    let cuts = adjudication.lines.filter { line in
                        line.approved != line.submitted
                            && (line.approved.isZero || line.reasons.contains { DenialCategory.of(reason: $0) != nil })
                    }.map { line in
                        ClaimFinding(
                            .warning, field: "ClaimResponse.item[\(line.sequence)]",
                            "the payer approved \(line.approved) of \(line.submitted)"
                                + (line.reasons.isEmpty ? "" : " (\(line.reasons.joined(separator: ", ")))"))
                    }
                    if !cuts.isEmpty { try await claims.addFindings(cuts, outcome: nil, for: input.claimID) }
                    // A payment posted before this answer was compared with no approved amount.
                    try await payments.reconcile(input.claimID)
                    return try .completed(encoding: adjudication.outcome)
                },
            ],
            onFailure: { input, step, error in
                // Technical, resumable: the claim says so instead of showing `pending` for ever.
                let claimID = try JSONDecoder().decode(Input.self, from: input).claimID
                try await claims.addFindings(
                    [
                        ClaimFinding(
                            .error, field: "workflow",
                            "the claim's workflow failed at \(step): \(error); resume it once the cause is fixed "
                                + "(rcm workflows resume, or POST /api/v1/workflows/{id}/resume)")
                    ], outcome: .failed, for: claimID)
            },
            onResume: { input in
                // Resumed: waiting on its steps (and the payer) again.
                let claimID = try JSONDecoder().decode(Input.self, from: input).claimID
                if try await claims.outcome(of: claimID) == .failed {
                    try await claims.setOutcome(.pending, for: claimID)
                }
            })
    }
}
