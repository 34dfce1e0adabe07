import Foundation
import RCMCore

/// An X12 interchange RCM wrote for a claim (`x12_submissions`): its 837P, and the 270 asking
/// for its member's eligibility — one of each per claim (a corrected claim is a new claim),
/// numbered before its file is written, so that a resumed step writes the same file with the same
/// numbers.
public struct X12Submission: Sendable, Hashable {
    /// What the interchange carries.
    public enum Kind: String, Sendable, Hashable {
        /// The claim (005010X222A1).
        case professionalClaim = "837P"
        /// The eligibility inquiry for its member (005010X279A1).
        case eligibilityInquiry = "270"
    }

    public let claimID: ClaimID
    public let kind: Kind
    /// ISA13 and GS06 (1…999,999,999), and ST02 (at least four digits): unique across RCM.
    public let controlNumber: Int
    public let payer: String
    /// CLM01, which the payer's 835 returns in CLP01: the claim's business identifier.
    public let patientControlNumber: String
    /// When the interchange was first written (ISA09/10, GS04/05, BHT04/05 are taken from it).
    public let createdAt: Date

    public init(
        claimID: ClaimID, kind: Kind = .professionalClaim, controlNumber: Int, payer: String,
        patientControlNumber: String, createdAt: Date
    ) {
        self.claimID = claimID
        self.kind = kind
        self.controlNumber = controlNumber
        self.payer = payer
        self.patientControlNumber = patientControlNumber
        self.createdAt = createdAt
    }

    /// ISA13 as written: nine digits.
    public var interchangeControlNumber: String {
        let digits = String(controlNumber)
        return String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }

    /// ST02 as written: at least four digits.
    public var transactionSetControlNumber: String {
        let digits = String(controlNumber)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The file's name in the outbox: `837P-<ISA13>.x12` or `270-<ISA13>.x12`.
    public var fileName: String { "\(kind.rawValue)-\(interchangeControlNumber).x12" }
}

/// Where the claims' X12 submissions are numbered and kept (`x12_submissions`). Implemented over
/// Fluent in `RCMServer`.
public protocol X12SubmissionLog: Sendable {
    /// The claim's interchange of `kind`: recorded with the next control number on the first call,
    /// the same one on every later call (whatever the other arguments then say).
    /// - Throws: a store error.
    func submission(
        for claimID: ClaimID, kind: X12Submission.Kind, payer: String, patientControlNumber: String, at date: Date
    ) async throws -> X12Submission

    /// The 837P submissions whose CLM01 was `patientControlNumber`, newest first.
    func submissions(patientControlNumber: String) async throws -> [X12Submission]

    /// The submission with this control number (ISA13, GS06, ST02), if any.
    func submission(controlNumber: Int) async throws -> X12Submission?
}
