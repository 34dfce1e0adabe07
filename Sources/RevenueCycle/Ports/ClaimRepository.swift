import RCMCore

/// Where claims are kept. Implemented over Fluent in `RCMServer`.
public protocol ClaimRepository: Sendable {
    /// Stores a new claim with its lines in one transaction, unless a claim with the same intake
    /// key exists.
    /// - Returns: the claim's id and whether it was created (`false`: a duplicate input).
    func intake(_ submission: ClaimSubmission) async throws -> (ClaimID, created: Bool)

    /// Claims whose business identifier value is `value` (any system), newest first.
    func claims(withIdentifierValue value: String) async throws -> [ClaimID]

    /// Claims already taken in with this business identifier, with their intake keys.
    func claims(withIdentifier identifier: ClaimIdentifier) async throws -> [(ClaimID, ClaimIntakeKey)]

    /// Claims for the same patient, provider, payer and date of service as `claim` that were taken in
    /// before the claim `id` (for the duplicate edit: of two claims for the same care, the later is
    /// the duplicate, whatever order their workflows run in).
    func claims(like claim: Claim, takenInBefore id: ClaimID) async throws -> [StoredClaim]

    /// The open cases of the denial work queue, at most `limit`, in its order: claims whose outcome
    /// puts them in the queue (`DenialCase.queueOutcomes`), optionally of one `category` (as
    /// `DenialCase.classify` categorised them when they last changed), that no write-off or
    /// resubmission closed — the most money at stake first (billed − approved, compared in minor
    /// units of each claim's currency: no conversion), then the earliest date of service. Each with
    /// its lines' payer reason codes (in line order), without its bundle (``StoredClaim/bundle()``
    /// throws for these).
    func openDenials(category: DenialCategory?, limit: Int) async throws -> [(
        claim: StoredClaim, lineReasons: [[String]]
    )]

    /// Classifies every claim in the denial queue again from what is stored (after a bulk load
    /// that wrote claims directly, or a release that changed the classification): the keys
    /// ``openDenials(category:limit:)`` reads.
    /// - Returns: how many claims the queue holds, open or closed.
    func reclassifyDenials() async throws -> Int

    /// The stored claim with its lines' payer reason codes (in line order).
    /// - Throws: when there is no claim with this id.
    func claimWithLineReasons(_ id: ClaimID) async throws -> (claim: StoredClaim, lineReasons: [[String]])

    /// The stored claim.
    /// - Throws: when there is no claim with this id.
    func claim(_ id: ClaimID) async throws -> StoredClaim

    /// The claim's outcome alone (one column read; what the workflow's before/after checks and the
    /// batch's waits need).
    /// - Throws: when there is no claim with this id.
    func outcome(of id: ClaimID) async throws -> ClaimOutcome

    /// Records the payer's decision: the claim's outcome and approved total, and each line's
    /// approved amount, in one transaction. Every outcome change in this protocol follows
    /// `ClaimOutcome.admits(_:)`: e.g. a claim already `paid` (its payment notice overtook the
    /// decision) keeps that outcome.
    func recordAdjudication(_ adjudication: ClaimAdjudication, for id: ClaimID) async throws

    /// Puts the payer's pre-authorisation reference on the claim's bundle to send
    /// (`Claim.insurance.preAuthRef`), before the claim is submitted.
    func attachPreAuthorization(_ reference: String, for id: ClaimID) async throws

    /// Sets the claim's outcome alone (e.g. `pending` once submitted, `failed` on a technical stop),
    /// when the stored outcome admits it (`ClaimOutcome.admits(_:)`); otherwise leaves it.
    func setOutcome(_ outcome: ClaimOutcome, for id: ClaimID) async throws

    /// Records findings of a review (coding, scrubbing) on the claim — once: findings already
    /// recorded are not added again — and, when given and admitted (`ClaimOutcome.admits(_:)`), its
    /// new outcome, in one transaction.
    func addFindings(_ findings: [ClaimFinding], outcome: ClaimOutcome?, for id: ClaimID) async throws

    /// Recomputes what the payments posted to the claim mean, in one transaction that holds the
    /// claim (so that a payment and the payer's answer reconciled at the same time do not write
    /// over each other with figures read before the other's): `derive` gets the claim and its
    /// payments as stored now, and returns the findings that replace the claim's findings on
    /// `field` (findings on other fields stay) and the outcome to set when admitted
    /// (`ClaimOutcome.admits(_:)`), or `nil` to leave it.
    /// - Throws: `ClaimNotFound`, or what `derive` or the store throws (nothing is written then).
    func reconcilePayments(
        for id: ClaimID, replacingFindingsOn field: String,
        _ derive:
            @escaping @Sendable (StoredClaim, [Payment]) throws -> (findings: [ClaimFinding], outcome: ClaimOutcome?)
    ) async throws
}
