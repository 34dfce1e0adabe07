import Foundation

/// An ISO 4217 alphabetic currency code (`"INR"`, `"USD"`), with its number of minor-unit digits.
///
/// Source: ISO 4217 List One (current currency and funds codes, as published by the maintenance
/// agency, SIX, in 2025), minor-unit column. Codes without a minor unit (precious metals XAU, XAG,
/// XPT, XPD; bond units XBA–XBD; XDR; the test and "no currency" codes XTS, XXX) are not money a
/// claim can be billed or paid in, and are refused like codes that do not exist (`XYZ`).
public struct CurrencyCode: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The three uppercase letters, e.g. `"INR"`.
    public let code: String

    /// Creates a currency code from input.
    /// - Parameter code: an ISO 4217 alphabetic code in List One; lowercase input is upper-cased.
    /// - Throws: ``MoneyError/invalidCurrency(_:)`` when the text is not three letters,
    ///   ``MoneyError/unknownCurrency(_:)`` when it is not a current ISO 4217 currency.
    public init(_ code: String) throws {
        try self.init(stored: code)
        guard Self.minorUnitDigitsByCode[self.code] != nil else { throw MoneyError.unknownCurrency(self.code) }
    }

    /// Reads a code that RCM stored earlier: any three letters, so that a row written before the
    /// ISO 4217 check (issue 19) still reads; an unknown code has two minor-unit digits.
    /// - Throws: ``MoneyError/invalidCurrency(_:)`` when the text is not three letters.
    public init(stored code: String) throws {
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

    /// Every current ISO 4217 currency and funds code with a minor unit, and its digits.
    static let minorUnitDigitsByCode: [String: Int] = {
        var digits: [String: Int] = [:]
        let twoDigits = """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD \
            CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS \
            GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL \
            MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK \
            PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS \
            TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG XSU XUA YER ZAR ZMW ZWG
            """
        for code in twoDigits.split(separator: " ") { digits[String(code)] = 2 }
        for code in "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(separator: " ") {
            digits[String(code)] = 0
        }
        for code in "BHD IQD JOD KWD LYD OMR TND".split(separator: " ") { digits[String(code)] = 3 }
        for code in ["CLF", "UYW"] { digits[code] = 4 }
        return digits
    }()

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
