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
