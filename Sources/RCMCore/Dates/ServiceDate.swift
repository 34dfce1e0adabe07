import Foundation

/// A calendar date (year, month, day) with no time and no time zone: a date of service.
///
/// A date of service is the day as the facility saw it. It is never converted through UTC, so a
/// service at 00:30 in India (`+05:30`) stays on its own day. Text form: ISO 8601 `YYYY-MM-DD`.
public struct ServiceDate: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// Four-digit year.
    public let year: Int
    /// Month, 1–12.
    public let month: Int
    /// Day of month, 1–31 (checked against the month).
    public let day: Int

    /// Creates a date.
    /// - Throws: ``ServiceDateError/invalid(_:)`` when the day does not exist (e.g. 2023-02-30).
    public init(year: Int, month: Int, day: Int) throws {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysInMonth(year: year, month: month)).contains(day)
        else {
            throw ServiceDateError.invalid(String(format: "%04d-%02d-%02d", year, month, day))
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// A date known to exist (from ``init(epochDay:)``).
    init(checkedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days in `month` of `year`, proleptic Gregorian (leap years: divisible by 4, except centuries
    /// not divisible by 400).
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The calendar date of an instant as seen in a time zone (e.g. a payer's office in
    /// `Asia/Kolkata`).
    public init(_ instant: Date, in timeZone: TimeZone) {
        let local = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
        self.init(epochDay: Int((local / 86_400).rounded(.down)))
    }

    /// Reads a calendar date written exactly `YYYY-MM-DD` (ISO 8601 extended date, no time), as
    /// operators give a day (`rcm process --as-of`, `RCM_NOW`).
    /// - Throws: ``ServiceDateError/invalid(_:)`` for anything else, a date-time included.
    public init(day text: String) throws {
        guard text.utf8.count == 10 else { throw ServiceDateError.invalid(text) }
        try self.init(iso8601: text)
    }

    /// Reads the calendar date at the start of an ISO 8601 date or date-time.
    ///
    /// `"2023-02-20"` and `"2023-02-20T14:03:14+05:30"` both give 2023-02-20: the date part of a
    /// date-time is taken as written, in the offset it was written in (FHIR R4 `date`/`dateTime`).
    /// - Throws: ``ServiceDateError/invalid(_:)`` for anything else.
    public init(iso8601 text: String) throws {
        let datePart = text.prefix(10)
        let fields = datePart.split(separator: "-", omittingEmptySubsequences: false)
        guard datePart.count == 10, fields.count == 3,
            fields[0].count == 4, fields[1].count == 2, fields[2].count == 2,
            let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2]),
            text.count == 10 || text.dropFirst(10).first == "T"
        else {
            throw ServiceDateError.invalid(text)
        }
        do {
            try self.init(year: year, month: month, day: day)
        } catch {
            throw ServiceDateError.invalid(text)
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (lhs: ServiceDate, rhs: ServiceDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(iso8601: try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why text is not a calendar date.
public enum ServiceDateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not an ISO 8601 date (or date-time) naming a real day.
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let text): "'\(text)' is not a calendar date (expected YYYY-MM-DD)"
        }
    }
}
