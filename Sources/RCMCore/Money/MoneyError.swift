/// Why a money value could not be formed or combined.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The currency code is not three letters (ISO 4217 alphabetic code).
    case invalidCurrency(String)
    /// Three letters, but not a current ISO 4217 currency (e.g. `XYZ`).
    case unknownCurrency(String)
    /// The amount has more decimal places than the currency's minor unit (e.g. INR 10.005).
    case fractionalMinorUnit(amount: String, currency: String)
    /// Two amounts in different currencies were added or compared.
    case currencyMismatch(String, String)
    /// The amount does not fit the storage range of 64-bit minor units.
    case outOfRange(String)

    public var description: String {
        switch self {
        case .invalidCurrency(let code):
            "'\(code)' is not an ISO 4217 currency code (three letters, e.g. INR)"
        case .unknownCurrency(let code):
            "'\(code)' is not a current ISO 4217 currency (List One), e.g. INR or USD"
        case .fractionalMinorUnit(let amount, let currency):
            "\(currency) \(amount) has more decimal places than the currency's minor unit"
        case .currencyMismatch(let lhs, let rhs):
            "cannot combine amounts in \(lhs) and \(rhs)"
        case .outOfRange(let amount):
            "\(amount) is outside the range of stored amounts"
        }
    }
}
