import Foundation
import Logging
import RCMCore
import X12

/// Asks an X12 payer whether a claim's member is covered on its date of service: a 270 inquiry
/// (005010X279A1) dropped in the outbox as `270-<ISA13>.x12`, numbered in ``X12SubmissionLog``
/// before it is written (a resumed step writes the same file), its trace number (TRN02) the
/// interchange control number. The 271 answer comes back through the inbox
/// (``RemittancePoster``) to the claim's `eligibility` step, waiting on `x12/271:<ISA13>`.
///
/// The inquiry names the payer and member as the claim's 837P will (``ProfessionalClaimMapping``),
/// the billing provider of the settings as the provider asking (NM1*1P), and TRN03 `1` + its EIN.
public struct X12EligibilityRequester: Sendable {
    let claims: any ClaimRepository
    let submissions: any X12SubmissionLog
    let settings: @Sendable () throws -> X12Settings
    let now: @Sendable () -> Date
    let logger: Logger

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
}
