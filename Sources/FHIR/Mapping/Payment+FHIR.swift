import Foundation
import RCMCore

extension PaymentNotice {
    /// Reads the notice into an ``RCMCore/Payment`` keyed by its identifier (or, failing that,
    /// its id).
    /// - Throws: ``FHIRError/invalidElement(path:reason:)`` when there is no identifier or amount.
    public func toPayment() throws -> Payment {
        guard let key = identifier?.first?.value ?? id else {
            throw FHIRError.invalidElement(
                path: "PaymentNotice.identifier", reason: "required to post the payment once")
        }
        guard let amount else {
            throw FHIRError.invalidElement(path: "PaymentNotice.amount", reason: "required")
        }
        return Payment(
            identifier: key, amount: try amount.money(at: "PaymentNotice.amount"),
            paymentDate: paymentDate.flatMap { try? ServiceDate(iso8601: $0) }, claimReference: request?.label,
            responseReference: response?.label, kind: paymentStatus?.coding?.first?.code)
    }
}

extension PaymentReconciliation {
    /// Reads each detail into an ``RCMCore/Payment`` keyed by the detail's identifier.
    /// - Throws: ``FHIRError/invalidElement(path:reason:)`` for a detail without identifier or amount.
    public func toPayments() throws -> [Payment] {
        try (detail ?? []).enumerated().map { index, detail in
            let path = "PaymentReconciliation.detail[\(index)]"
            guard let key = detail.identifier?.value else {
                throw FHIRError.invalidElement(path: "\(path).identifier", reason: "required to post the payment once")
            }
            guard let amount = detail.amount else {
                throw FHIRError.invalidElement(path: "\(path).amount", reason: "required")
            }
            return Payment(
                identifier: key, amount: try amount.money(at: "\(path).amount"),
                paymentDate: (detail.date ?? paymentDate).flatMap { try? ServiceDate(iso8601: $0) },
                claimReference: detail.request?.label, responseReference: detail.response?.label,
                kind: detail.type.coding?.first?.code)
        }
    }
}

extension PaymentNotice {
    /// HCX IG v0.7.1 profile URL of PaymentNotice.
    public static let hcxProfile = "https://ig.hcxprotocol.io/v0.7.1/StructureDefinition-PaymentNotice.html"

    /// A notice of `payment` (HCX IG v0.7.1 PaymentNotice; `paymentStatus` from the FHIR
    /// `paymentstatus` code system).
    /// - Parameters:
    ///   - request: the claim paid; `response`: the ClaimResponse settled.
    ///   - provider: the payee provider; `recipient`: who is told (the provider).
    ///   - created: FHIR `date` text.
    public init(
        payment: Payment, request: Reference, response: Reference?, provider: Reference, recipient: Reference,
        created: String
    ) {
        self.init(
            id: payment.identifier, identifier: [Identifier(system: "urn:rcm:payment", value: payment.identifier)],
            status: "active", request: request, response: response, created: created, provider: provider,
            payment: Reference(identifier: Identifier(system: "urn:rcm:payment", value: payment.identifier)),
            paymentDate: payment.paymentDate?.description, payee: provider, recipient: recipient,
            amount: FHIRMoney(payment.amount),
            paymentStatus: payment.kind.map {
                CodeableConcept(system: "http://terminology.hl7.org/CodeSystem/paymentstatus", code: $0)
            })
    }
}
