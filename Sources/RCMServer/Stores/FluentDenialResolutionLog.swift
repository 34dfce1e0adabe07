import Fluent
import Foundation
import RCMCore
import RevenueCycle

/// ``RevenueCycle/DenialResolutionLog`` over Fluent (`denial_actions`).
struct FluentDenialResolutionLog: DenialResolutionLog {
    let database: any Database

    func record(_ resolution: DenialResolution) async throws {
        try await DatabaseMetrics.measure("denial_actions.record") {
            let row = DenialActionModel()
            row.id = UUID()
            row.$claim.id = resolution.claimID.rawValue
            row.action = resolution.action.rawValue
            row.reason = resolution.reason
            row.actor = resolution.actor
            row.at = resolution.at
            row.amountMinor = try resolution.amount?.minorUnits()
            row.currency = resolution.amount?.currency.code
            row.replacementClaimID = resolution.replacementClaimID?.rawValue
            row.closingClaimID = resolution.closesClaim ? resolution.claimID.rawValue : nil
            do {
                try await database.transaction { transaction in
                    if let closing = try await DenialActionModel.query(on: transaction)
                        .filter(\.$claim.$id == resolution.claimID.rawValue).filter(\.$closingClaimID != nil).first()
                    {
                        throw DenialResolutionError.alreadyClosed(resolution.claimID, by: closing.action)
                    }
                    try await row.create(on: transaction)
                }
            } catch let error as any DatabaseError where error.isConstraintFailure {
                throw DenialResolutionError.alreadyClosed(resolution.claimID, by: "another action at the same time")
            }
        }
    }

    func resolutions(for claimID: ClaimID) async throws -> [DenialResolution] {
        try await DatabaseMetrics.measure("denial_actions.resolutions") {
            try await DenialActionModel.query(on: database).filter(\.$claim.$id == claimID.rawValue).sort(\.$at).all()
                .map { row in
                    DenialResolution(
                        action: try StoredDataError.require(
                            DenialAction(rawValue: row.action), "denial_actions.action", row.action),
                        claimID: claimID, reason: row.reason, actor: row.actor, at: row.at,
                        amount: try row.amountMinor.map { minor in
                            Money(minorUnits: minor, currency: try CurrencyCode(stored: row.currency ?? "INR"))
                        },
                        replacementClaimID: row.replacementClaimID.map(ClaimID.init))
                }
        }
    }
}
