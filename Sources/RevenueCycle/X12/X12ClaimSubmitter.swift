import Foundation
import Logging
import RCMCore
import X12

/// Writes a claim's X12 files for its payer into the outbox — the clearinghouse's drop folder: the
/// 270 inquiry (005010X279A1) asking whether its member is covered on the date of service, then
/// the 837P interchange (005010X222A1) carrying the claim.
///
/// Each file is numbered (``X12SubmissionLog``: the claim's 270 and its 837P, one of each) before it
/// is written, so that a resumed step writes the same file with the same control number
/// (ISA13 = GS06 = ST02) and date, and a clearinghouse that already took it sees a duplicate
/// ISA13. Files are written whole or not at all (``X12/X12FileDrop``: a hidden temporary file
/// renamed), named `270-<ISA13>.x12` and `837P-<ISA13>.x12`, with the settings' sender, the payer's
/// receiver, ISA15 usage and dates in the settings' time zone.
///
/// The 270's trace number (TRN02) is its interchange control number, which the 271 carries back in
/// TRN*2 to the claim's `eligibility` step (waiting on `x12/271:<ISA13>`); it names the payer and
/// member as the 837P will (``ProfessionalClaimMapping``), the settings' billing provider as the
/// provider asking (NM1*1P), and TRN03 `1` + its EIN.
///
/// One claim per 837P interchange rather than batches: each file is the durable effect of one
/// claim's `submit` step; a batch would tie claims' steps together (one claim's failure, or
/// resumption, touching another's file). Clearinghouses take any number of files; the X12 library
/// writes several claims per interchange for those that want batches (`Professional837`).
public struct X12ClaimSubmitter: Sendable {
    let claims: any ClaimRepository
    let submissions: any X12SubmissionLog
    let settings: @Sendable () throws -> X12Settings
    let now: @Sendable () -> Date
    let logger: Logger

    /// - Parameter settings: the billing office's X12 settings, read when a file is written (an
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

    /// Writes the claim's 270 to the outbox (again, with the same numbers, when written before).
    /// - Returns: the interchange control number, the inquiry's trace number.
    /// - Throws: ``X12SettingsError``; ``RCMCore/ClaimIntakeError`` when the member cannot be
    ///   named in X12 (the scrub reports it first); ``X12/X12Error``; a file-system or store error.
    public func requestEligibility(_ claimID: ClaimID, to receiver: PayerTransport.X12Receiver) async throws -> String {
        let settings = try settings()
        let stored = try await claims.claim(claimID)
        let claim = try ProfessionalClaimMapping.claim(stored, payerID: receiver.payerID).claim
        let submission = try await submissions.submission(
            for: claimID, kind: .eligibilityInquiry, payer: stored.claim.payer,
            patientControlNumber: claim.patientControlNumber, at: now())
        let control = submission.interchangeControlNumber
        let inquiry = EligibilityInquiry270(
            payerName: claim.payerName, payerID: claim.payerID, providerName: settings.billingProvider.name,
            providerNPI: settings.billingProvider.npi, traceNumber: control,
            originatorID: "1" + settings.billingProvider.employerID,
            subscriberLastName: claim.subscriber.lastName, subscriberFirstName: claim.subscriber.firstName,
            memberID: claim.memberID, birthDate: claim.subscriber.birthDate, gender: claim.subscriber.gender,
            serviceDate: stored.claim.dateOfService)
        let created = X12ClaimSubmitter.created(submission.createdAt, in: settings.timeZone)
        let setNumber = submission.transactionSetControlNumber
        let text = try X12Writer(
            sender: .init(id: settings.senderID), receiver: .init(id: receiver.receiverID), usage: settings.usage
        ).interchange(
            functionalID: "HS", version: "005010X279A1", interchangeControlNumber: submission.controlNumber,
            groupControlNumber: submission.controlNumber,
            sets: [("270", setNumber, inquiry.segments(reference: setNumber, created: created))],
            date: submission.createdAt, timeZone: settings.timeZone)
        try X12FileDrop.write(text, named: submission.fileName, in: settings.outbox)
        logger.info(
            "eligibility asked in a 270",
            metadata: ["claim_id": "\(claimID)", "interchange_control_number": "\(control)"])
        return control
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
