import Fluent
import Foundation
import RCMCore
import RevenueCycle

/// ``RevenueCycle/PaymentLedger`` over Fluent (`payments`).
public struct FluentPaymentLedger: PaymentLedger {
    let database: any Database

    public init(database: any Database) { self.database = database }

    public func post(_ payment: Payment, claimID: ClaimID?, source: String, at date: Date) async throws -> Bool {
        try await DatabaseMetrics.measure("payments.post") {
            let model = PaymentModel()
            model.paymentIdentifier = payment.identifier
            model.$claim.id = claimID?.rawValue
            model.amountMinor = try payment.amount.minorUnits()
            model.currency = payment.amount.currency.code
            model.paymentDate = payment.paymentDate?.description
            model.kind = payment.kind
            model.claimReference = payment.claimReference
            model.source = source
            model.postedAt = date
            do {
                try await model.create(on: database)
                return true
            } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
                return false
            }
        }
    }

    public func payments(for claimID: ClaimID) async throws -> [Payment] {
        try await DatabaseMetrics.measure("payments.payments") {
            try await PaymentModel.query(on: database)
                .filter(\.$claim.$id == claimID.rawValue)
                .sort(\.$postedAt)
                .all()
                .map { model in
                    Payment(
                        identifier: model.paymentIdentifier,
                        amount: Money(minorUnits: model.amountMinor, currency: try CurrencyCode(model.currency)),
                        paymentDate: model.paymentDate.flatMap { try? ServiceDate(iso8601: $0) },
                        claimReference: model.claimReference, responseReference: nil, kind: model.kind)
                }
        }
    }
}
