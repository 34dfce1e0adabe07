import Foundation

/// An exact amount of money in one currency.
///
/// The amount is a `Decimal` in major units (rupees, dollars); it is never a binary floating-point
/// number. Storage uses integer minor units (paise, cents) plus the currency code, see
/// ``minorUnits()`` and ``init(minorUnits:currency:)``.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The amount in major units, e.g. `146000.50` for INR 146,000.50.
    public let amount: Decimal
    /// The ISO 4217 currency.
    public let currency: CurrencyCode

    /// Creates an amount.
    /// - Throws: ``MoneyError/fractionalMinorUnit(amount:currency:)`` when `amount` has more decimal
    ///   places than the currency's minor unit allows (INR 10.005).
    public init(_ amount: Decimal, _ currency: CurrencyCode) throws {
        var scaled = amount * Self.scale(currency)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled else {
            throw MoneyError.fractionalMinorUnit(amount: "\(amount)", currency: currency.code)
        }
        self.amount = amount
        self.currency = currency
    }

    /// Creates an amount rounded half-up to the currency's minor unit (INR 33.333… → INR 33.33), for
    /// derived amounts such as a unit price computed from a line total.
    public init(rounding amount: Decimal, _ currency: CurrencyCode) {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, currency.minorUnitDigits, .plain)
        self.init(unchecked: rounded, currency)
    }

    /// Creates an amount from integer minor units (e.g. `14_600_050` paise = INR 146,000.50).
    public init(minorUnits: Int64, currency: CurrencyCode) {
        // minorUnits × 10^-digits, exact, built directly (a `Decimal` division cost a tenth of a
        // claims list's CPU; docs/benchmarks.md).
        self.amount = Decimal(
            sign: minorUnits < 0 ? .minus : .plus, exponent: -currency.minorUnitDigits,
            significand: Decimal(minorUnits.magnitude))
        self.currency = currency
    }

    /// Zero in the given currency.
    public static func zero(_ currency: CurrencyCode) -> Money {
        Money(minorUnits: 0, currency: currency)
    }

    /// The amount as integer minor units, for exact storage.
    /// - Throws: ``MoneyError/outOfRange(_:)`` when it does not fit in 64 bits.
    public func minorUnits() throws -> Int64 {
        let scaled = amount * Self.scale(currency)
        let number = NSDecimalNumber(decimal: scaled)
        guard scaled.magnitude < Decimal(Int64.max) else { throw MoneyError.outOfRange("\(self)") }
        return number.int64Value
    }

    /// The sum of two amounts in the same currency.
    /// - Throws: ``MoneyError/currencyMismatch(_:_:)``.
    public func adding(_ other: Money) throws -> Money {
        guard other.currency == currency else {
            throw MoneyError.currencyMismatch(currency.code, other.currency.code)
        }
        return Money(unchecked: amount + other.amount, currency)
    }

    /// The difference of two amounts in the same currency (may be negative).
    /// - Throws: ``MoneyError/currencyMismatch(_:_:)``.
    public func subtracting(_ other: Money) throws -> Money {
        guard other.currency == currency else {
            throw MoneyError.currencyMismatch(currency.code, other.currency.code)
        }
        return Money(unchecked: amount - other.amount, currency)
    }

    /// This amount multiplied by a quantity, rounded half-up to the currency's minor unit.
    ///
    /// A claim line's net is unit price × quantity (FHIR R4 `Claim.item.net`); quantities may be
    /// fractional (e.g. 1.5 hours), so the product is rounded to the minor unit.
    public func multiplied(by quantity: Decimal) -> Money {
        Money(rounding: amount * quantity, currency)
    }

    /// The smaller of two amounts in the same currency.
    /// - Throws: ``MoneyError/currencyMismatch(_:_:)``.
    public func minimum(_ other: Money) throws -> Money {
        guard other.currency == currency else {
            throw MoneyError.currencyMismatch(currency.code, other.currency.code)
        }
        return amount <= other.amount ? self : other
    }

    /// Whether the amount is zero.
    public var isZero: Bool { amount.isZero }

    /// `"INR 146000.50"`: the currency code, then the amount with exactly the minor-unit digits.
    public var description: String { "\(currency.code) \(amountText)" }

    /// `"146000.50"`: the amount alone, with exactly the currency's minor-unit digits, no grouping
    /// (how the API and reports write money).
    public var amountText: String { Self.formatted(amount, digits: currency.minorUnitDigits) }

    /// The amount as plain text with exactly `digits` decimals and no grouping (`"146000.00"`).
    public static func formatted(_ amount: Decimal, digits: Int) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, digits, .plain)
        // `Decimal`'s own text ("-146000.5": no grouping, no exponent, "." whatever the locale),
        // not `NSDecimalNumber`'s, which costs a class instance per call.
        let plain = rounded.description
        guard digits > 0 else { return plain }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        return "\(parts[0]).\(fraction.padding(toLength: digits, withPad: "0", startingAt: 0))"
    }

    private init(unchecked amount: Decimal, _ currency: CurrencyCode) {
        self.amount = amount
        self.currency = currency
    }

    private static func scale(_ currency: CurrencyCode) -> Decimal {
        var result = Decimal(1)
        for _ in 0..<currency.minorUnitDigits { result *= 10 }
        return result
    }
}
