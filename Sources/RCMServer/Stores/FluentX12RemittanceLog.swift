import Fluent
import Foundation
import RCMCore
import RevenueCycle
import SQLKit
import X12

/// ``RevenueCycle/X12RemittanceLog`` over SQL (migration 0018).
struct FluentX12RemittanceLog: X12RemittanceLog {
    static let remittances = "x12_remittances"
    static let claims = "x12_remittance_claims"
    let database: any Database

    func isPosted(payerKey: String, traceNumber: String) async throws -> Bool {
        try await DatabaseMetrics.measure("x12_remittances.isPosted") {
            try await database.sql.select().column("id").from(Self.remittances)
                .where("payer_key", .equal, payerKey).where("trace_number", .equal, traceNumber)
                .limit(1).first() != nil
        }
    }

    func record(
        _ remittance: Remittance835, payerKey: String, claims: [RemittanceClaimRecord], fileName: String,
        at date: Date
    ) async throws -> Bool {
        try await DatabaseMetrics.measure("x12_remittances.record") {
            try await database.transaction { database in
                let id = UUID()
                let inserted =
                    try await database.sql.raw(
                        """
                        INSERT INTO \(ident: Self.remittances) (id, payer_key, trace_number, payer_name, payment_amount,
                          currency, payment_method, payment_date, provider_adjustments, file_name, posted_at)
                        VALUES (\(bind: id), \(bind: payerKey), \(bind: remittance.traceNumber), \(bind: remittance.payerName),
                          \(bind: "\(remittance.paymentAmount)"), \(bind: remittance.currency), \(bind: remittance.paymentMethod),
                          \(bind: remittance.paymentDate), \(bind: try Self.json(remittance.providerAdjustments.map(ProviderAdjustmentRow.init))),
                          \(bind: fileName), \(bind: date))
                        ON CONFLICT (payer_key, trace_number) DO NOTHING
                        RETURNING id
                        """
                    ).first() != nil
                guard inserted else { return false }
                for claim in claims {
                    let payment = claim.payment
                    var adjustments = payment.adjustments.map { AdjustmentRow($0, line: nil) }
                    for (service, line) in zip(payment.services, claim.lineSequences) {
                        adjustments += service.adjustments.map { AdjustmentRow($0, line: line) }
                    }
                    try await database.sql.raw(
                        """
                        INSERT INTO \(ident: Self.claims) (id, remittance_id, claim_id, patient_control_number, status,
                          charge, paid, patient_responsibility, payer_claim_control_number, adjustments)
                        VALUES (\(bind: UUID()), \(bind: id), \(bind: claim.claimID?.rawValue), \(bind: payment.patientControlNumber),
                          \(bind: payment.status), \(bind: "\(payment.charge)"), \(bind: "\(payment.paid)"),
                          \(bind: payment.patientResponsibility.map { "\($0)" }), \(bind: payment.payerClaimControlNumber),
                          \(bind: try Self.json(adjustments)))
                        """
                    ).run()
                }
                return true
            }
        }
    }

    /// A CAS triplet as kept: the billed line it was on (`null`: claim level), group code, CARC,
    /// amount and quantity as decimal text.
    struct AdjustmentRow: Codable {
        let line: Int?
        let group, reason, amount: String
        let quantity: String?
        init(_ adjustment: Remittance835.Adjustment, line: Int?) {
            self.line = line
            group = adjustment.group
            reason = adjustment.reason
            amount = "\(adjustment.amount)"
            quantity = adjustment.quantity.map { "\($0)" }
        }
    }

    /// A PLB adjustment as kept.
    struct ProviderAdjustmentRow: Codable {
        let provider, fiscalPeriodDate, reason, amount: String
        let reference: String?
        init(_ adjustment: Remittance835.ProviderAdjustment) {
            provider = adjustment.provider
            fiscalPeriodDate = adjustment.fiscalPeriodDate
            reason = adjustment.reason
            reference = adjustment.reference
            amount = "\(adjustment.amount)"
        }
    }

    private static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
