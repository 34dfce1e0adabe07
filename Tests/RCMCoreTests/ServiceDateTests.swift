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
}
