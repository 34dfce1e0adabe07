import Foundation
import RCMCore

/// "Today" for the billing rules: the scrub's future-date and timely-filing edits and the denial
/// queue's ages (docs DESIGN.md §4, "Time").
///
/// On the clock, today is the facility's calendar date (RCM's facilities are in India,
/// `Asia/Kolkata`). A fixed day (`RCM_NOW=YYYY-MM-DD`, or `rcm process --as-of` for one run)
/// replaces it for tests and replays, so that filing limits do not drift with the calendar. HCX
/// message timestamps and record times always use the real clock.
public struct BillingCalendar: Sendable {
    /// The facility's time zone.
    public static let facilityTimeZone = TimeZone(identifier: "Asia/Kolkata") ?? .gmt

    /// The fixed day, when one is set.
    public let fixedDay: ServiceDate?
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - fixedDay: the day to take as today always; `nil` for the facility's date on `now`.
    ///   - now: the clock.
    public init(fixedDay: ServiceDate? = nil, now: @escaping @Sendable () -> Date = Date.init) {
        self.fixedDay = fixedDay
        self.now = now
    }

    /// Today: the fixed day, else the facility's date now.
    public func today() -> ServiceDate { fixedDay ?? ServiceDate(now(), in: Self.facilityTimeZone) }

    /// The same calendar with a fixed day for one run, when `day` is given.
    public func fixed(at day: ServiceDate?) -> BillingCalendar {
        day.map { BillingCalendar(fixedDay: $0, now: now) } ?? self
    }
}
