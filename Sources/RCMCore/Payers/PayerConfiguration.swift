/// What RCM knows about one payer beyond the HCX registry (`payer_configs`): its rules for
/// claims, set by the billing office from the payer's contract or provider manual.
public struct PayerConfiguration: Sendable, Hashable, Codable {
    /// The payer's identifier as claims name it (the insurer Organization's identifier, e.g. `GICOFINDIA`).
    public let payer: String
    /// Display name, if set.
    public let name: String?
    /// Timely-filing limit: claims must reach the payer within this many days of the date of
    /// service (e.g. 90 or 365); `nil` when the payer sets none (then RCM applies no limit).
    public let timelyFilingDays: Int?

    public init(payer: String, name: String?, timelyFilingDays: Int?) {
        self.payer = payer
        self.name = name
        self.timelyFilingDays = timelyFilingDays
    }
}
