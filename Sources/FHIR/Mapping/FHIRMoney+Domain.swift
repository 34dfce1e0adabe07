import Foundation
import RCMCore

extension FHIRMoney {
    /// FHIR `Money` for a domain amount: the exact decimal value and its ISO 4217 code.
    public init(_ money: Money) {
        self.init(value: money.amount, currency: money.currency.code)
    }

    /// This amount as domain money.
    /// - Parameter path: the element's FHIR path, for the error message.
    /// - Throws: ``FHIRError/invalidElement(path:reason:)`` when the value or currency is missing,
    ///   the currency is not ISO 4217, or the value is finer than the currency's minor unit.
    public func money(at path: String) throws -> Money {
        guard let value, let currency else {
            throw FHIRError.invalidElement(path: path, reason: "needs both a value and a currency")
        }
        do {
            return try Money(value, try CurrencyCode(currency))
        } catch {
            throw FHIRError.invalidElement(path: path, reason: "\(error)")
        }
    }
}
