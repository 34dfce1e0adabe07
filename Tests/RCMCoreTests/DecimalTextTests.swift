import Foundation
import Testing

@testable import RCMCore

@Suite struct DecimalTextTests {
    @Test func plainDecimalsAreRead() {
        #expect(DecimalText.parse("100000") == Decimal(100_000))
        #expect(DecimalText.parse("2500.50") == Decimal(string: "2500.50"))
        #expect(DecimalText.parse("-1.5") == Decimal(string: "-1.5"))
    }

    @Test func anythingElseIsRefused() {
        for text in ["", "12abc", "1,000", "0x10", "1e5", ".5", "5.", "1.2.3", "--1", " 1", "١٢"] {
            #expect(DecimalText.parse(text) == nil, "\(text)")
        }
    }

    @Test func roundingToTheMinorUnit() {
        #expect(Money(rounding: Decimal(string: "33.335")!, .inr).description == "INR 33.34")
        #expect(Money(rounding: Decimal(string: "100.005")!, try! CurrencyCode("JPY")).description == "JPY 100")
    }
}
