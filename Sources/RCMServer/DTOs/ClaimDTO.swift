import Foundation
import RCMCore
import Vapor

/// A claim in a list: ids, who and when, outcome and totals (money as decimal strings).
public struct ClaimSummaryDTO: Content, Sendable {
    public let id: String
    public let identifier: String
    public let use: String
    public let payer: String
    public let provider: String
    public let patient: String
    public let dateOfService: String
    public let outcome: String
    public let currency: String
    public let billed: String
    public let approved: String?
    public let createdAt: Date?

    init(_ model: ClaimModel) {
        let currencyCode = (try? CurrencyCode(stored: model.currency)) ?? .inr
        func text(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currencyCode).amountText }
        id = model.id?.uuidString.lowercased() ?? ""
        identifier = model.identifierValue
        use = model.use
        payer = model.payer
        provider = model.provider
        patient = model.patientReference
        dateOfService = model.dateOfService
        outcome = model.outcome
        currency = model.currency
        billed = text(model.billedTotalMinor)
        approved = model.approvedTotalMinor.map(text)
        createdAt = model.createdAt
    }
}

/// A page of claims: `nextCursor` fetches the next one (absent on the last page).
public struct ClaimPageDTO: Content, Sendable {
    public let claims: [ClaimSummaryDTO]
    public let nextCursor: String?
}

/// One claim with everything recorded about it: lines with the payer's decision per line,
/// findings, eligibility answers, payments, the denial (category and next action) when denied or
/// stopped, and the workflow's status history.
public struct ClaimDetailDTO: Content, Sendable {
    public struct Line: Content, Sendable {
        public let sequence: Int
        public let submittedSequence: Int?
        public let system: String?
        public let code: String
        public let display: String?
        public let quantity: String
        public let unitPrice: String
        public let net: String
        public let approved: String?
        public let reasons: [String]
    }

    public struct Finding: Content, Sendable {
        public let severity: String
        public let field: String
        public let message: String
    }

    public struct EligibilityCheck: Content, Sendable {
        public let correlationID: String
        public let inForce: Bool
        public let outcome: String
        public let disposition: String?
        public let checkedAt: Date
    }

    public struct PaymentEntry: Content, Sendable {
        public let identifier: String
        public let amount: String
        public let currency: String
        public let paymentDate: String?
        public let kind: String?
        public let source: String
        public let postedAt: Date
    }

    public let claim: ClaimSummaryDTO
    public let diagnoses: [String]
    public let lines: [Line]
    public let findings: [Finding]
    public let eligibility: [EligibilityCheck]
    public let payments: [PaymentEntry]
    public let paid: String
    public let denial: DenialDTO?
    public let workflow: WorkflowDTO?
}
