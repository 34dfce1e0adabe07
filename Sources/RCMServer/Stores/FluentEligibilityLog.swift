import Fluent
import Foundation
import RCMCore
import RevenueCycle

/// ``RevenueCycle/EligibilityLog`` over Fluent (`eligibility_checks`).
public struct FluentEligibilityLog: EligibilityLog {
    let database: any Database

    public init(database: any Database) { self.database = database }

    public func record(_ result: EligibilityResult, claimID: ClaimID, correlationID: String, at date: Date) async throws
    {
        try await DatabaseMetrics.measure("eligibility_checks.record") {
            let model = EligibilityCheckModel()
            model.$claim.id = claimID.rawValue
            model.correlationID = correlationID
            model.inForce = result.inForce
            model.outcome = result.outcome
            model.disposition = result.disposition
            model.errors = try ClaimModel.json(result.errors)
            model.benefits = try ClaimModel.json(result.benefits)
            model.checkedAt = date
            do {
                try await ChangeTransaction.savepoint(on: database) { try await model.create(on: $0) }
            } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
                // Recorded by an earlier delivery of the same answer.
            }
        }
    }
}
