/// Money a payer paid (or will pay) against a claim: read from an HCX PaymentNotice or a
/// PaymentReconciliation detail. Posting is idempotent by ``identifier``.
public struct Payment: Hashable, Sendable, Codable {
    /// The payer's identifier of the payment (or of its detail line): the posting key.
    public let identifier: String
    /// The amount.
    public let amount: Money
    /// The calendar date of payment.
    public let paymentDate: ServiceDate?
    /// The claim paid, as the payer references it (`request`).
    public let claimReference: String?
    /// The adjudication settled (`response`), when given.
    public let responseReference: String?
    /// `paid` or `cleared` for notices; `payment`, `adjustment` or `advance` for reconciliation details.
    public let kind: String?

    public init(
        identifier: String, amount: Money, paymentDate: ServiceDate?, claimReference: String?,
        responseReference: String?, kind: String?
    ) {
        self.identifier = identifier
        self.amount = amount
        self.paymentDate = paymentDate
        self.claimReference = claimReference
        self.responseReference = responseReference
        self.kind = kind
    }
}
