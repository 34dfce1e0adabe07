/// What RCM knows about one payer beyond the HCX registry (`payer_configs`): its rules for
/// claims, set by the billing office from the payer's contract or provider manual, and how its
/// claims travel.
public struct PayerConfiguration: Sendable, Hashable {
    /// The payer's identifier as claims name it (the insurer Organization's identifier, e.g. `GICOFINDIA`).
    public let payer: String
    /// Display name, if set.
    public let name: String?
    /// Timely-filing limit: claims must reach the payer within this many days of the date of
    /// service (e.g. 90 or 365); `nil` when the payer sets none (then RCM applies no limit).
    public let timelyFilingDays: Int?
    /// Claims billed above this amount need the payer's pre-authorisation first.
    public let preauthorizationOver: Money?
    /// Service codes (`Claim.item.productOrService` codes) that need pre-authorisation whatever the amount.
    public let preauthorizationCodes: [String]
    /// How the payer's claims travel: HCX (the default) or X12 files through a clearinghouse.
    public let transport: PayerTransport

    public init(
        payer: String, name: String?, timelyFilingDays: Int?, preauthorizationOver: Money? = nil,
        preauthorizationCodes: [String] = [], transport: PayerTransport = .hcx
    ) {
        self.transport = transport
        self.payer = payer
        self.name = name
        self.timelyFilingDays = timelyFilingDays
        self.preauthorizationOver = preauthorizationOver
        self.preauthorizationCodes = preauthorizationCodes
    }

    /// Why `claim` needs pre-authorisation under this configuration, or `nil` when it does not:
    /// its total above ``preauthorizationOver`` (same currency), or a line billing one of
    /// ``preauthorizationCodes``.
    public func preauthorizationReason(for claim: Claim) -> String? {
        if let threshold = preauthorizationOver, threshold.currency == claim.currency,
            claim.billedTotal.amount > threshold.amount
        {
            return "billed \(claim.billedTotal), above \(payer)'s pre-authorisation threshold of \(threshold)"
        }
        if let line = claim.lines.first(where: { preauthorizationCodes.contains($0.service.code) }) {
            return "line \(line.sequence) bills \(line.service.code), which \(payer) pre-authorises"
        }
        return nil
    }
}
