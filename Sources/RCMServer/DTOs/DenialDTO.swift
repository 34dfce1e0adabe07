import Foundation
import RCMCore
import RevenueCycle
import Vapor

/// A work-queue entry as the API and `rcm denials list` show it; money as decimal strings.
public struct DenialDTO: Content, Sendable {
    public let claimID: String
    public let identifier: String
    public let outcome: String
    public let category: String
    public let nextAction: String
    public let atStake: String
    public let currency: String
    public let dateOfService: String
    public let ageDays: Int
    public let reasons: [String]

    public init(_ denial: DenialCase) {
        claimID = denial.claimID.description
        identifier = denial.identifier
        outcome = denial.outcome.rawValue
        category = denial.category.rawValue
        nextAction = denial.nextAction.rawValue
        atStake = denial.atStake.amountText
        currency = denial.atStake.currency.code
        dateOfService = denial.dateOfService.description
        ageDays = denial.ageDays
        reasons = denial.reasons
    }
}

/// An action on a denied claim as recorded: money as a decimal string.
///
/// ``auditAction`` is the action's name in the audit trail, the same from the API and the CLI.
public struct DenialResolutionDTO: Content, Sendable {
    public let claimID: String
    public let action: String
    public let reason: String
    public let actor: String
    public let at: Date
    public let amount: String?
    public let currency: String?
    public let replacementClaimID: String?
    public let replacementWorkflowID: String?

    /// `denial.appeal`, `denial.write-off` or `denial.resubmit` (as the permission table names the routes).
    public static func auditAction(_ action: DenialAction) -> String {
        switch action {
        case .appeal: "denial.appeal"
        case .writeOff: "denial.write-off"
        case .correctAndResubmit: "denial.resubmit"
        case .requestPreauthorization: "denial.request-preauthorization"
        case .answerInformationRequest: "denial.answer-information-request"
        }
    }

    public init(_ resolution: DenialResolution) {
        claimID = resolution.claimID.description
        action = resolution.action.rawValue
        reason = resolution.reason
        actor = resolution.actor
        at = resolution.at
        amount = resolution.amount?.amountText
        currency = resolution.amount?.currency.code
        replacementClaimID = resolution.replacementClaimID?.description
        replacementWorkflowID = resolution.replacementClaimID.map { ClaimWorkflow.workflowID(for: $0).rawValue }
    }
}
