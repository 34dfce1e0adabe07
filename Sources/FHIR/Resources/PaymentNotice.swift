/// FHIR R4 `PaymentNotice` (HCX IG v0.7.1): a payer tells the provider a payment was made (HCX
/// `/paymentnotice/request`).
public struct PaymentNotice: Hashable, Sendable, Codable {
    public var resourceType: String = "PaymentNotice"
    public var id: String?
    public var identifier: [Identifier]?
    public var status: String?
    /// The claim paid.
    public var request: Reference?
    /// The ClaimResponse the payment settles.
    public var response: Reference?
    /// FHIR `date`.
    public var created: String?
    public var provider: Reference?
    /// The PaymentReconciliation carrying the money.
    public var payment: Reference?
    /// FHIR `date`.
    public var paymentDate: String?
    public var payee: Reference?
    public var recipient: Reference?
    public var amount: FHIRMoney?
    /// `paid` or `cleared` (payment-status code system).
    public var paymentStatus: CodeableConcept?
}
