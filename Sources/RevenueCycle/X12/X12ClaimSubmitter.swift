import Foundation
import Logging
import RCMCore
import X12

/// Writes a claim for an X12 payer as an 837P interchange (005010X222A1) into the outbox — the
/// clearinghouse's drop folder — one interchange per claim.
///
/// One per claim rather than batched: each file is the durable effect of one claim's `submit`
/// step, numbered (``X12SubmissionLog``) before it is written, so that a resumed step writes the
/// same file with the same control numbers and a clearinghouse that already took it sees a
/// duplicate ISA13; a batch would tie claims' steps together (one claim's failure, or resume,
/// touching another's file). Clearinghouses take any number of files; the X12 library writes
/// several claims per interchange for those that want batches (`Professional837`).
///
/// The file is written whole or not at all (``X12/X12FileDrop``: a hidden temporary file renamed), named
/// `837P-<ISA13>.x12`, with the settings' sender, the payer's receiver, ISA15 usage and dates in
/// the settings' time zone, taken from when the submission was first recorded.
public struct X12ClaimSubmitter: Sendable {
    let claims: any ClaimRepository
    let submissions: any X12SubmissionLog
    let settings: @Sendable () throws -> X12Settings
    let now: @Sendable () -> Date
    let logger: Logger

    /// - Parameter settings: the billing office's X12 settings, read when a claim is written (an
    ///   X12SettingsError fails the step, resumable once the settings are fixed).
    public init(
        claims: any ClaimRepository, submissions: any X12SubmissionLog,
        settings: @escaping @Sendable () throws -> X12Settings, now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.claims = claims
        self.submissions = submissions
        self.settings = settings
        self.now = now
        self.logger = logger
    }

    /// Writes the claim's 837P to the outbox (again, with the same numbers, when it was written before).
    /// - Returns: the submission: `correlationID` the ISA13, `apiCallID` the file's name, transport `x12`.
    /// - Throws: ``X12SettingsError``; ``RCMCore/ClaimIntakeError`` when the claim cannot be
    ///   written as an 837P (the scrub reports the same for X12 payers, so this means the claim
    ///   changed after it); ``X12/X12Error``; a file-system or store error.
    public func submit(_ claimID: ClaimID, to receiver: PayerTransport.X12Receiver) async throws
        -> ClaimWorkflow.Submission
    {
        let settings = try settings()
        let stored = try await claims.claim(claimID)
        let claim = try ProfessionalClaimMapping.claim(stored, payerID: receiver.payerID).claim
        let submission = try await submissions.submission(
            for: claimID, kind: .professionalClaim, payer: stored.claim.payer,
            patientControlNumber: claim.patientControlNumber, at: now())
        let text = try Self.interchange(claim, submission: submission, receiver: receiver, settings: settings)
        try X12FileDrop.write(text, named: submission.fileName, in: settings.outbox)
        RevenueCycleMetrics().recordSubmitted(payer: stored.claim.payer)
        // A rewrite leaves a decided or paid claim as it is (ClaimOutcome.admits).
        try await claims.setOutcome(.pending, for: claimID)
        logger.info(
            "claim written as an 837P",
            metadata: [
                "claim_id": "\(claimID)", "interchange_control_number": "\(submission.interchangeControlNumber)",
                "file": "\(submission.fileName)",
            ])
        return ClaimWorkflow.Submission(
            correlationID: submission.interchangeControlNumber, apiCallID: submission.fileName, transport: .x12)
    }

    /// The interchange text of one claim: ISA/GS/ST … SE/GE/IEA with the submission's control
    /// number as ISA13, GS06 and ST02 (BHT03 too), dated when the submission was recorded.
    static func interchange(
        _ claim: Professional837.Claim, submission: X12Submission, receiver: PayerTransport.X12Receiver,
        settings: X12Settings
    ) throws -> String {
        let transaction = Professional837(
            submitter: settings.submitter, receiverName: receiver.receiverName, receiverID: receiver.receiverID,
            billingProvider: settings.billingProvider, claims: [claim])
        let setNumber = submission.transactionSetControlNumber
        return try X12Writer(
            sender: .init(id: settings.senderID), receiver: .init(id: receiver.receiverID), usage: settings.usage
        ).interchange(
            functionalID: "HC", version: "005010X222A1", interchangeControlNumber: submission.controlNumber,
            groupControlNumber: submission.controlNumber,
            sets: [
                (
                    "837", setNumber,
                    try transaction.segments(
                        reference: setNumber, created: created(submission.createdAt, in: settings.timeZone))
                )
            ], date: submission.createdAt, timeZone: settings.timeZone)
    }

    /// BHT04/05 of a set written at `date`: `CCYYMMDD` and `HHMM` in `timeZone`.
    static func created(_ date: Date, in timeZone: TimeZone) -> (date: String, time: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return ("\(parts.year ?? 2000)\(two(parts.month))\(two(parts.day))", "\(two(parts.hour))\(two(parts.minute))")
    }
}
