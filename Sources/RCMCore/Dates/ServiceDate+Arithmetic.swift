import Foundation

extension ServiceDate {
    /// The date `days` calendar days after this one (before it when negative), in the proleptic
    /// Gregorian calendar.
    public func adding(days: Int) -> ServiceDate {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC")!
        let start = gregorian.date(from: DateComponents(year: year, month: month, day: day))!
        return ServiceDate(gregorian.date(byAdding: .day, value: days, to: start)!, in: gregorian.timeZone)
    }
}

extension ServiceDate {
    /// Whole days from `start` to `end` (negative when `end` is earlier).
    public static func days(from start: ServiceDate, to end: ServiceDate) -> Int {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC")!
        func date(_ day: ServiceDate) -> Date? {
            gregorian.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
        }
        guard let from = date(start), let to = date(end) else { return 0 }
        return gregorian.dateComponents([.day], from: from, to: to).day ?? 0
    }
}
