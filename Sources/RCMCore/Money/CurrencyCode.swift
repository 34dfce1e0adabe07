import Foundation

/// An ISO 4217 alphabetic currency code (`"INR"`, `"USD"`), with its number of minor-unit digits.
///
/// Source: ISO 4217 (the minor-unit column of the maintenance agency's list). Codes not in
/// ``CurrencyCode/minorUnitDigitsByCode`` are accepted when they are three uppercase letters and are
/// assumed to have two minor-unit digits, the value of the large majority of currencies.
public struct CurrencyCode: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The three uppercase letters, e.g. `"INR"`.
    public let code: String

    /// Creates a currency code.
    /// - Parameter code: three ASCII letters; lowercase input is upper-cased.
    /// - Throws: ``MoneyError/invalidCurrency(_:)`` when the text is not three letters.
    public init(_ code: String) throws {
        let upper = code.uppercased()
        guard upper.count == 3, upper.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw MoneyError.invalidCurrency(code)
        }
        self.code = upper
    }

    /// Indian rupee, the currency of HCX claims.
    public static let inr = try! CurrencyCode("INR")
    /// United States dollar.
    public static let usd = try! CurrencyCode("USD")

    /// Currencies whose minor unit is not two digits (ISO 4217), plus the common two-digit ones
    /// for documentation's sake.
    static let minorUnitDigitsByCode: [String: Int] = [
        "INR": 2, "USD": 2, "EUR": 2, "GBP": 2, "AED": 2, "SGD": 2,
        "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "XAF": 0, "XOF": 0,
        "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "IQD": 3, "LYD": 3, "TND": 3,
    ]

    /// Number of digits after the decimal point in this currency's minor unit (INR: 2 → paise).
    public var minorUnitDigits: Int { Self.minorUnitDigitsByCode[code] ?? 2 }

    public var description: String { code }

    public static func < (lhs: CurrencyCode, rhs: CurrencyCode) -> Bool { lhs.code < rhs.code }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
