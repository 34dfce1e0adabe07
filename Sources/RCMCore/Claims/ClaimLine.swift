import Foundation

/// One billed line of a claim (FHIR R4 `Claim.item`).
public struct ClaimLine: Hashable, Sendable, Codable {
    /// Position of the line in the claim as RCM numbers it: 1, 2, 3… in the order received.
    ///
    /// Submitters do not always number lines uniquely (the HCX reference samples send
    /// `sequence = 1` on every line), so RCM renumbers and keeps the submitted value in
    /// ``submittedSequence``.
    public let sequence: Int
    /// The `Claim.item.sequence` the submitter sent, if any.
    public let submittedSequence: Int?
    /// What was billed (`Claim.item.productOrService`).
    public let service: BillingCode
    /// Number of units (`Claim.item.quantity.value`), 1 when not sent.
    public let quantity: Decimal
    /// Price of one unit (`Claim.item.unitPrice`).
    public let unitPrice: Money
    /// Billed amount of the line: `Claim.item.net` when sent, else unit price × quantity.
    public let net: Money

    /// Creates a line.
    public init(
        sequence: Int, submittedSequence: Int?, service: BillingCode, quantity: Decimal,
        unitPrice: Money, net: Money
    ) {
        self.sequence = sequence
        self.submittedSequence = submittedSequence
        self.service = service
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.net = net
    }
}
