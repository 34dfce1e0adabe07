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
                try await ChangeTransaction.savepoint(on: database) { try await model.create(on: $0) }
                return true
            } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
                return false
            }
        }
    }

    public func postedCount() async throws -> Int {
        try await DatabaseMetrics.measure("payments.postedCount") { try await PaymentModel.query(on: database).count() }
    }

    public func payments(for claimID: ClaimID) async throws -> [Payment] {
        try await DatabaseMetrics.measure("payments.payments") {
            try await PaymentModel.query(on: database)
                .filter(\.$claim.$id == claimID.rawValue)
                .sort(\.$postedAt)
                .all()
                .map { try $0.toDomain() }
        }
    }

    public func unmatched(limit: Int) async throws -> [(payment: Payment, source: String, postedAt: Date)] {
        try await DatabaseMetrics.measure("payments.unmatched") {
            try await PaymentModel.query(on: database).filter(\.$claim.$id == nil).sort(\.$postedAt).limit(limit).all()
                .map { (try $0.toDomain(), $0.source, $0.postedAt) }
        }
    }

    public func match(_ paymentIdentifier: String, to claimID: ClaimID) async throws -> Payment? {
        try await DatabaseMetrics.measure("payments.match") {
            try await database.transaction { transaction in
                guard
                    let model = try await PaymentModel.query(on: transaction)
                        .filter(\.$paymentIdentifier == paymentIdentifier).filter(\.$claim.$id == nil).first()
                else { return nil }
                model.$claim.id = claimID.rawValue
                try await model.update(on: transaction)
                return try model.toDomain()
            }
        }
    }
}

extension PaymentModel {
    func toDomain() throws -> Payment {
        Payment(
            identifier: paymentIdentifier,
            amount: Money(minorUnits: amountMinor, currency: try CurrencyCode(stored: currency)),
            paymentDate: paymentDate.flatMap { try? ServiceDate(iso8601: $0) },
            claimReference: claimReference, responseReference: nil, kind: kind)
    }
}
