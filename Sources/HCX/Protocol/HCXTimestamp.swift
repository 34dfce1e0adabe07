import Foundation

/// The `x-hcx-timestamp` header: ISO 8601 with an explicit UTC offset, e.g.
/// `2023-08-17T18:43:48+05:30` (what the Python SDK sends and the gateway parses; docs
/// reference/hcx-protocol.md §2.2, §8).
public enum HCXTimestamp {
    /// Formats an instant in `timeZone` (default India Standard Time, the HCX deployment zone):
    /// `2023-08-17T18:43:48+05:30` (RFC 3339, whole seconds; `Z` in UTC).
    public static func string(from date: Date, timeZone: TimeZone = india) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: timeZone))
    }

    /// India Standard Time.
    public static let india = TimeZone(identifier: "Asia/Kolkata")!

    /// Parses an ISO 8601 timestamp with an offset (`+05:30`, `+0530` or `Z`), with or without
    /// fractional seconds, or epoch milliseconds as digits.
    ///
    /// Foundation's `Date.ISO8601FormatStyle` reads it (a value type, no ICU formatter made per
    /// call: `ISO8601DateFormatter` and a regular expression here were 4 % of `rcm process`'s CPU).
    /// - Returns: the instant, or `nil` when the text is none of these.
    public static func date(from text: String) -> Date? {
        let utf8 = text.utf8
        if !utf8.isEmpty, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let millis = Int64(text)
        {
            return Date(timeIntervalSince1970: Double(millis) / 1000)
        }
        var normalised = text
        // `+0530` → `+05:30`.
        let tail = Array(utf8.suffix(5))
        if tail.count == 5, tail[0] == UInt8(ascii: "+") || tail[0] == UInt8(ascii: "-"),
            tail[1...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        {
            normalised = String(text.dropLast(2)) + ":" + String(text.suffix(2))
        }
        return (try? Date(normalised, strategy: fractional)) ?? (try? Date(normalised, strategy: whole))
    }

    private static let fractional = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, includingFractionalSeconds: true)
    private static let whole = Date.ISO8601FormatStyle(timeZoneSeparator: .colon)
}
