/// FHIR R4 `PaymentReconciliation` (HCX IG v0.7.1): a bulk payment and how it splits over claims.
public struct PaymentReconciliation: Hashable, Sendable, Codable {
    /// The part of the payment for one claim (or an adjustment).
    public struct Detail: Hashable, Sendable, Codable {
        public var identifier: Identifier?
        /// `payment`, `adjustment`, `advance` (payment-type code system).
        public var type: CodeableConcept
        public var request: Reference?
        public var submitter: Reference?
        public var response: Reference?
        /// FHIR `date`.
        public var date: String?
        public var payee: Reference?
        public var amount: FHIRMoney?
    }

    public var resourceType: String = "PaymentReconciliation"
    public var id: String?
    public var identifier: [Identifier]?
    public var status: String?
    public var period: Period?
    /// FHIR `dateTime`.
    public var created: String?
    public var paymentIssuer: Reference?
    public var request: Reference?
    public var requestor: Reference?
    public var outcome: String?
    public var disposition: String?
    /// FHIR `date`.
    public var paymentDate: String?
    public var paymentAmount: FHIRMoney?
    public var paymentIdentifier: Identifier?
    public var detail: [Detail]?
}
