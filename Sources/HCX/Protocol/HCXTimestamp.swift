import Foundation

/// The `x-hcx-timestamp` header: ISO 8601 with an explicit UTC offset, e.g.
/// `2023-08-17T18:43:48+05:30` (what the Python SDK sends and the gateway parses; docs
/// reference/hcx-protocol.md §2.2, §8).
public enum HCXTimestamp {
    /// Formats an instant in `timeZone` (default India Standard Time, the HCX deployment zone).
    public static func string(from date: Date, timeZone: TimeZone = TimeZone(identifier: "Asia/Kolkata")!) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = timeZone
        return formatter.string(from: date)
    }

    /// Parses an ISO 8601 timestamp with an offset (`+05:30`, `+0530` or `Z`), with or without
    /// fractional seconds, or epoch milliseconds as digits.
    /// - Returns: the instant, or `nil` when the text is none of these.
    public static func date(from text: String) -> Date? {
        if !text.isEmpty, text.allSatisfy(\.isNumber), let millis = Int64(text) {
            return Date(timeIntervalSince1970: Double(millis) / 1000)
        }
        var normalised = text
        // `+0530` → `+05:30`, which ISO8601DateFormatter requires.
        if let match = normalised.range(of: #"[+-]\d{4}$"#, options: .regularExpression) {
            let offset = normalised[match]
            normalised.replaceSubrange(match, with: "\(offset.prefix(3)):\(offset.suffix(2))")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: normalised) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: normalised)
    }
}
