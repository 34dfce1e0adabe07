import Foundation

/// FHIR R4 `Money`: an exact decimal `value` and an ISO 4217 `currency`.
///
/// Named `FHIRMoney` to keep it apart from the domain's `RCMCore.Money`; the value stays a
/// `Decimal` (JSON numbers are read exactly, never through `Double`).
public struct FHIRMoney: Hashable, Sendable, Codable {
    public var value: Decimal?
    public var currency: String?

    public init(value: Decimal?, currency: String?) {
        self.value = value
        self.currency = currency
    }
}
