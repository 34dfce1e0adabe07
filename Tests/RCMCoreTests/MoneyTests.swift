import Foundation
import Testing

@testable import RCMCore

@Suite struct MoneyTests {
    @Test func minorUnitsAreExact() throws {
        let amount = try Money(Decimal(string: "146000.50")!, .inr)
        #expect(try amount.minorUnits() == 14_600_050)
        #expect(Money(minorUnits: 14_600_050, currency: .inr) == amount)
        #expect(amount.description == "INR 146000.50")
        // 0.1 + 0.2 is exactly 0.3 in decimal money (it is not in binary floating point).
        let sum = try Money(Decimal(string: "0.1")!, .usd).adding(try Money(Decimal(string: "0.2")!, .usd))
        #expect(sum == (try Money(Decimal(string: "0.3")!, .usd)))
    }

    /// Amounts built from minor units and their text (both written directly since issue 22) are
    /// the ones the decimal route gives.
    @Test func minorUnitsAndTextMatchTheDecimalRoute() throws {
        let cases: [(Int64, String, String)] = [
            (0, "INR", "0.00"), (1, "INR", "0.01"), (-5, "INR", "-0.05"), (14_600_050, "INR", "146000.50"),
            (100, "INR", "1.00"), (-1_999_999, "USD", "-19999.99"), (1500, "JPY", "1500"), (-7, "JPY", "-7"),
            (1234, "KWD", "1.234"), (1000, "KWD", "1.000"), (Int64.max, "INR", "92233720368547758.07"),
            (Int64.min, "INR", "-92233720368547758.08"),
        ]
        for (minor, code, text) in cases {
            let currency = try CurrencyCode(code)
            let money = Money(minorUnits: minor, currency: currency)
            var scale = Decimal(1)
            for _ in 0..<currency.minorUnitDigits { scale *= 10 }
            #expect(money.amount == Decimal(minor) / scale, "\(minor) \(code)")
            #expect(money.amountText == text, "\(minor) \(code)")
            #expect(money.hashValue == Money(minorUnits: minor, currency: currency).hashValue)
            // The stored range stops short of Int64's ends (MoneyError.outOfRange).
            if minor.magnitude < UInt64(Int64.max) { #expect(try money.minorUnits() == minor) }
        }
        #expect(Money.formatted(Decimal(string: "2.005")!, digits: 2) == "2.01")
    }

    @Test func currenciesWithOtherMinorUnits() throws {
        let yen = try Money(1500, CurrencyCode("JPY"))
        #expect(try yen.minorUnits() == 1500)
        #expect(yen.description == "JPY 1500")
        let dinar = try Money(Decimal(string: "1.234")!, CurrencyCode("kwd"))
        #expect(try dinar.minorUnits() == 1234)
        #expect(dinar.currency.code == "KWD")
        #expect(throws: MoneyError.fractionalMinorUnit(amount: "1.5", currency: "JPY")) {
            try Money(Decimal(string: "1.5")!, CurrencyCode("JPY"))
        }
    }

    @Test func amountsFinerThanTheMinorUnitAreRefused() {
        #expect(throws: MoneyError.fractionalMinorUnit(amount: "10.005", currency: "INR")) {
            try Money(Decimal(string: "10.005")!, .inr)
        }
    }

    @Test func currenciesDoNotMix() throws {
        #expect(throws: MoneyError.currencyMismatch("INR", "USD")) {
            try Money(1, .inr).adding(try Money(1, .usd))
        }
        #expect(throws: MoneyError.invalidCurrency("RUPEES")) { try CurrencyCode("RUPEES") }
        #expect(throws: MoneyError.invalidCurrency("12$")) { try CurrencyCode("12$") }
    }

    @Test func onlyCurrentISO4217CurrenciesAreTakenIn() throws {
        // Three letters that name no currency, and codes without a minor unit (gold, the test code).
        for code in ["XYZ", "ZZZ", "XAU", "XTS", "HRK"] {
            #expect(throws: MoneyError.unknownCurrency(code)) { try CurrencyCode(code) }
        }
        #expect(try CurrencyCode("kwd").minorUnitDigits == 3)
        #expect(try CurrencyCode("CLF").minorUnitDigits == 4)
        #expect(try CurrencyCode("XOF").minorUnitDigits == 0)
        // A code stored before the check still reads back.
        #expect(try CurrencyCode(stored: "XYZ").code == "XYZ")
    }

    @Test func lineTotalIsUnitPriceTimesQuantityRoundedToTheMinorUnit() throws {
        let unitPrice = try Money(Decimal(string: "12.25")!, .inr)
        #expect(unitPrice.multiplied(by: 10).description == "INR 122.50")
        #expect(
            try Money(Decimal(string: "33.33")!, .inr).multiplied(by: Decimal(string: "1.5")!).description
                == "INR 50.00")
    }
}
