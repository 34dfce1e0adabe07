import Foundation

/// FHIR R4 `Quantity` (also used as `SimpleQuantity`): a decimal value with optional unit.
public struct Quantity: Hashable, Sendable, Codable {
    public var value: Decimal?
    public var unit: String?
    public var system: String?
    public var code: String?

    public init(value: Decimal?) { self.value = value }
}
