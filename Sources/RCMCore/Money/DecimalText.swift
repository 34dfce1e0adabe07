import Foundation

/// Strict reading of plain decimal text (`"100000"`, `"2073.50"`, `"-1.5"`) for settings and
/// files: unlike `Decimal(string:)`, which reads `"12abc"` as 12 and `"1,000"` as 1, anything but
/// optional minus, digits and at most one decimal point is refused.
public enum DecimalText {
    /// The value, or `nil` when `text` is not plain decimal text of at most 30 digits.
    public static func parse(_ text: String) -> Decimal? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), digits.count <= 31
        else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}
