import Foundation
import RCMCore
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
