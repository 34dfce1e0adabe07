import Foundation
import Testing

@testable import RCMCore

@Suite struct ServiceDateTests {
    @Test func theDatePartIsTakenAsWrittenNeverShiftedThroughUTC() throws {
        // 00:30 in India is still the previous day in UTC; the date of service must not move.
        #expect(try ServiceDate(iso8601: "2026-11-02T00:30:00+05:30").description == "2026-11-02")
        #expect(try ServiceDate(iso8601: "2026-11-02T23:59:59-10:00").description == "2026-11-02")
        #expect(try ServiceDate(iso8601: "2026-11-02").description == "2026-11-02")
    }

    @Test func impossibleOrMalformedDatesAreRefused() {
        for text in ["2023-02-29", "2026-13-01", "26-11-02", "2026/11/02", "2026-11-02 10:00", "yesterday", ""] {
            #expect(throws: ServiceDateError.invalid(text)) { try ServiceDate(iso8601: text) }
        }
        #expect(throws: Never.self) { try ServiceDate(iso8601: "2024-02-29") }
    }

    @Test func codableAndOrdered() throws {
        let date = try ServiceDate(year: 2026, month: 1, day: 9)
        let json = try JSONEncoder().encode([date])
        #expect(String(decoding: json, as: UTF8.self) == #"["2026-01-09"]"#)
        #expect(try JSONDecoder().decode([ServiceDate].self, from: json) == [date])
        #expect(date < (try ServiceDate(year: 2026, month: 1, day: 10)))
    }

    @Test func dayNumbersAreExactAcrossLeapYearsAndCenturies() throws {
        for (text, number) in [
            ("1970-01-01", 0), ("2000-02-29", 11016), ("2026-12-05", 20792), ("1900-03-01", -25508),
            ("0001-01-01", -719_162), ("9999-12-31", 2_932_896),
        ] {
            let date = try ServiceDate(day: text)
            #expect(date.epochDay == number, "\(text)")
            #expect(ServiceDate(epochDay: number) == date, "\(text)")
        }
        // Every day of 1896–2104 (leap years, 1900 and 2100 not, 2000 yes) round-trips in order.
        var previous = try ServiceDate(day: "1895-12-31")
        for number in (previous.epochDay + 1)...(try ServiceDate(day: "2104-12-31")).epochDay {
            let date = ServiceDate(epochDay: number)
            #expect(date.epochDay == number)
            #expect(ServiceDate.days(from: previous, to: date) == 1)
            #expect(try ServiceDate(year: date.year, month: date.month, day: date.day) == date)
            previous = date
        }
        #expect(throws: ServiceDateError.self) { try ServiceDate(year: 1900, month: 2, day: 29) }
        #expect(throws: ServiceDateError.self) { try ServiceDate(year: 2023, month: 2, day: 29) }
        #expect(throws: ServiceDateError.self) { try ServiceDate(year: 2026, month: 4, day: 31) }
        #expect(try ServiceDate(year: 2000, month: 2, day: 29).adding(days: 1) == ServiceDate(day: "2000-03-01"))
        // An instant's day in a time zone: 2026-12-05T19:00Z is the 6th in India (+05:30).
        let instant = Date(timeIntervalSince1970: 1_796_497_200)
        #expect(ServiceDate(instant, in: TimeZone(identifier: "Asia/Kolkata")!) == (try ServiceDate(day: "2026-12-06")))
        #expect(ServiceDate(instant, in: TimeZone(identifier: "UTC")!) == (try ServiceDate(day: "2026-12-05")))
    }
}
