import Foundation

/// One KPI's figure for a period: its value and the numerator and denominator it comes from.
/// Money figures are in one currency (``currency``), in its major units (`2073.00`).
public struct KPIFigure: Sendable, Hashable, Codable {
    public let kpi: KPI
    /// ``KPI/Unit`` rounding of numerator ÷ denominator; `nil` when the denominator is zero (no
    /// claims of that kind in the period).
    public let value: Decimal?
    public let numerator: Decimal
    public let denominator: Decimal
    /// The currency of a money figure; `nil` for counts and days.
    public let currency: CurrencyCode?

    /// Computes the value.
    public init(_ kpi: KPI, numerator: Decimal, denominator: Decimal, currency: CurrencyCode? = nil) {
        self.kpi = kpi
        self.numerator = numerator
        self.denominator = denominator
        self.currency = currency
        guard !denominator.isZero else {
            value = nil
            return
        }
        switch kpi.unit {
        case .percent: value = Self.rounded(numerator * 100 / denominator, places: 2)
        case .days: value = Self.rounded(numerator / denominator, places: 1)
        }
    }

    /// The value as plain text with the unit's places (`"88.89"`, `"23.3"`); `nil` without a value.
    public var valueText: String? {
        value.map { Money.formatted($0, digits: kpi.unit == .percent ? 2 : 1) }
    }

    /// The numerator as plain text: money with its currency's places, counts and days whole.
    public var numeratorText: String { Money.formatted(numerator, digits: currency?.minorUnitDigits ?? 0) }

    /// The denominator as plain text, as ``numeratorText``.
    public var denominatorText: String { Money.formatted(denominator, digits: currency?.minorUnitDigits ?? 0) }

    /// `value` rounded half away from zero to `places` decimal places.
    static func rounded(_ value: Decimal, places: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, places, .plain)
        return result
    }
}
