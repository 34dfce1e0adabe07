import Foundation
import Testing

@testable import RCMCore

/// The KPI formulas on a hand-computed fixture: thirteen claims with chosen dates and amounts,
/// October 2026, aged on 2026-12-05. Every figure below was worked out by hand from the facts.
@Suite struct RevenueCycleKPITests {
    static func day(_ text: String) -> ServiceDate { try! ServiceDate(day: text) }
    static func inr(_ amount: Decimal) -> Money { try! Money(amount, .inr) }
    static func usd(_ amount: Decimal) -> Money { try! Money(amount, .usd) }
    static func line(_ submitted: Money, _ approved: Money?, _ reasons: [String] = []) -> ClaimFacts.Line {
        ClaimFacts.Line(submitted: submitted, approved: approved, reasons: reasons)
    }
    static func paid(_ amount: Money, _ on: String) -> ClaimFacts.Payment {
        ClaimFacts.Payment(amount: amount, date: day(on))
    }

    static let fixture: [ClaimFacts] = [
        // A: approved in full, paid in full.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D1", dateOfService: day("2026-10-02"), billed: inr(1000),
            outcome: .paid, submittedOn: day("2026-10-04"), adjudicatedOn: day("2026-10-10"),
            lines: [line(inr(1000), inr(1000))], payments: [paid(inr(1000), "2026-10-20")]),
        // B: 300 cut by the fee schedule (CARC 45, contractual), the rest paid.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D1", dateOfService: day("2026-10-05"), billed: inr(2000),
            outcome: .paid, submittedOn: day("2026-10-06"), adjudicatedOn: day("2026-10-16"),
            lines: [line(inr(1500), inr(1200), ["45"]), line(inr(500), inr(500))],
            payments: [paid(inr(1700), "2026-10-25")]),
        // C: denied (coding), appealed, then 1000 posted: overturned.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D2", dateOfService: day("2026-10-08"), billed: inr(3000),
            outcome: .denied, submittedOn: day("2026-10-09"), adjudicatedOn: day("2026-10-19"),
            lines: [line(inr(3000), inr(0), ["11"])], payments: [paid(inr(1000), "2026-10-30")],
            appealedOn: day("2026-10-22")),
        // D: denied (eligibility), replaced by its corrected resubmission E.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D1", dateOfService: day("2026-10-10"), billed: inr(4000),
            outcome: .denied, isReplaced: true, submittedOn: day("2026-10-11"), adjudicatedOn: day("2026-10-21"),
            lines: [line(inr(4000), inr(0), ["27"])]),
        // E: D's resubmission, approved, not yet paid.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D1", dateOfService: day("2026-10-10"), billed: inr(4000),
            outcome: .approved, isResubmission: true, submittedOn: day("2026-10-25"),
            adjudicatedOn: day("2026-10-28"), lines: [line(inr(4000), inr(4000))]),
        // F: stopped by the coding review, written off.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D2", dateOfService: day("2026-10-12"), billed: inr(500),
            outcome: .rejected, lines: [line(inr(500), nil)],
            findings: [ClaimFinding(.error, field: "Claim.diagnosis[0]", "unknown ICD-10-CM code")],
            writtenOff: inr(500)),
        // G: submitted, waiting on the payer.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D1", dateOfService: day("2026-10-15"), billed: inr(800),
            outcome: .pending, submittedOn: day("2026-10-16"), lines: [line(inr(800), nil)]),
        // H: still in the edits.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D1", dateOfService: day("2026-10-20"), billed: inr(600),
            outcome: .pending, lines: [line(inr(600), nil)]),
        // I: denied (non-covered), appealed, nothing posted.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D2", dateOfService: day("2026-10-22"), billed: inr(700),
            outcome: .denied, submittedOn: day("2026-10-23"), adjudicatedOn: day("2026-10-27"),
            lines: [line(inr(700), inr(0), ["96"])], appealedOn: day("2026-10-29")),
        // J: in dollars: 10 cut (contractual), 90 paid.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D1", dateOfService: day("2026-10-25"), billed: usd(100),
            outcome: .paid, submittedOn: day("2026-10-26"), adjudicatedOn: day("2026-10-28"),
            lines: [line(usd(100), usd(90), ["45"])], payments: [paid(usd(90), "2026-11-05")]),
        // K: before the period, submitted, never answered: 157 days old.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D1", dateOfService: day("2026-07-01"), billed: inr(900),
            outcome: .pending, submittedOn: day("2026-07-02"), lines: [line(inr(900), nil)]),
        // L: after the period.
        ClaimFacts(
            id: ClaimID(), payer: "P1", provider: "D1", dateOfService: day("2026-11-10"), billed: inr(1200),
            outcome: .pending, submittedOn: day("2026-11-11"), lines: [line(inr(1200), nil)]),
        // M: another payer, approved, not yet paid.
        ClaimFacts(
            id: ClaimID(), payer: "P2", provider: "D2", dateOfService: day("2026-10-28"), billed: inr(1000),
            outcome: .approved, submittedOn: day("2026-10-29"), adjudicatedOn: day("2026-11-02"),
            lines: [line(inr(1000), inr(1000))]),
    ]

    static func figure(_ figures: [KPIFigure], _ kpi: KPI, _ currency: CurrencyCode? = nil) throws -> KPIFigure {
        try #require(figures.first { $0.kpi == kpi && $0.currency == currency })
    }

    @Test func everyKPIOfTheFixtureIsExact() throws {
        let figures = RevenueCycleKPIs.figures(
            Self.fixture.filter { $0.dateOfService <= Self.day("2026-10-31") }, from: Self.day("2026-10-01"),
            to: Self.day("2026-10-31"), today: Self.day("2026-12-05"))
        func check(
            _ kpi: KPI, _ currency: CurrencyCode?, _ numerator: Decimal, _ denominator: Decimal, _ value: Decimal?
        )
            throws
        {
            let figure = try Self.figure(figures, kpi, currency)
            #expect(figure.numerator == numerator, "\(kpi) \(currency?.code ?? "") numerator")
            #expect(figure.denominator == denominator, "\(kpi) \(currency?.code ?? "") denominator")
            #expect(figure.value == value, "\(kpi) \(currency?.code ?? "") value")
        }
        try check(.cleanClaimRate, nil, 8, 9, Decimal(string: "88.89"))
        try check(.firstPassResolutionRate, nil, 4, 7, Decimal(string: "57.14"))
        try check(.initialDenialRate, nil, 3, 7, Decimal(string: "42.86"))
        try check(.initialDenialRateByAmount, .inr, 7700, 11700, Decimal(string: "65.81"))
        try check(.initialDenialRateByAmount, .usd, 0, 100, 0)
        try check(.grossCollectionRate, .inr, 3700, 12500, Decimal(string: "29.6"))
        try check(.grossCollectionRate, .usd, 90, 100, 90)
        try check(.netCollectionRate, .inr, 3700, 12200, Decimal(string: "30.33"))
        try check(.netCollectionRate, .usd, 90, 90, 100)
        try check(.daysInAR, .inr, 9400 * 31, 12500, Decimal(string: "23.3"))
        try check(.daysInAR, .usd, 0, 100, 0)
        try check(.arOver90DaysShare, .inr, 900, 9400, Decimal(string: "9.57"))
        try check(.arOver90DaysShare, .usd, 0, 0, nil)
        try check(.daysToSubmission, nil, 24, 9, Decimal(string: "2.7"))
        try check(.daysToAdjudication, nil, 72, 8, 9)
        try check(.daysToPayment, nil, 71, 4, Decimal(string: "17.8"))
        try check(.denialWriteOffShare, .inr, 500, 12200, Decimal(string: "4.1"))
        try check(.denialWriteOffShare, .usd, 0, 90, 0)
        try check(.appealOverturnRate, nil, 1, 2, 50)
        // One figure per KPI, and per currency for money: never a sum of two currencies.
        #expect(figures.count == KPI.allCases.filter { !$0.isMoney }.count + 2 * KPI.allCases.filter(\.isMoney).count)
    }

    @Test func anEmptyPeriodHasNoValuesAndNoDivisionByZero() throws {
        let figures = RevenueCycleKPIs.figures(
            Self.fixture, from: Self.day("2027-01-01"), to: Self.day("2027-01-31"), today: Self.day("2027-02-01"))
        for figure in figures where figure.kpi != .daysInAR && figure.kpi != .arOver90DaysShare {
            #expect(figure.numerator == 0 && figure.denominator == 0 && figure.value == nil, "\(figure.kpi)")
        }
        // The A/R is still there (10,600 open), but nothing was billed in the period.
        try #expect(Self.figure(figures, .daysInAR, .inr).value == nil)
        try #expect(Self.figure(figures, .arOver90DaysShare, .inr).numerator == 10_600 - 1200)
        let none = RevenueCycleKPIs.figures(
            [], from: Self.day("2027-01-01"), to: Self.day("2027-01-31"), today: Self.day("2027-02-01"))
        #expect(none.count == KPI.allCases.count)
        #expect(none.allSatisfy { $0.value == nil && $0.currency == nil })
    }

    @Test func agingBreakdownsMixAndTrendOfTheFixture() throws {
        let october = Self.fixture.filter {
            $0.dateOfService >= Self.day("2026-10-01") && $0.dateOfService <= Self.day("2026-10-31")
        }
        let aging = ARAging.rows(
            Self.fixture.filter { $0.dateOfService <= Self.day("2026-10-31") }, asOf: Self.day("2026-12-05"))
        #expect(aging.map(\.amount) == [0, 8500, 0, 0, 900].map(Self.inr) + [0, 0, 0, 0, 0].map(Self.usd))
        #expect(aging.map(\.claims) == [0, 5, 0, 0, 1, 0, 0, 0, 0, 0])

        let byCategory = DenialBreakdown.groups(october, by: .category)
        #expect(byCategory.map(\.key) == ["eligibility", "coding", "non_covered"])
        #expect(byCategory.map(\.claims) == [1, 2, 1])
        #expect(byCategory.map(\.atStake) == [4000, 3500, 700].map(Self.inr))
        #expect(DenialBreakdown.groups(october, by: .reason).map(\.key) == ["27", "11", "96", "edit:coding"])
        #expect(DenialBreakdown.groups(october, by: .payer).map(\.key) == ["P1"])

        let mix = PayerMix.rows(october)
        #expect(mix.map(\.payer) == ["P1", "P2", "P1"])
        #expect(mix.map(\.billed) == [Self.inr(11500), Self.inr(1000), Self.usd(100)])
        #expect(mix.map(\.paid) == [Self.inr(3700), Self.inr(0), Self.usd(90)])
        #expect(mix.map(\.billedShare) == [92, 8, 100])

        let monthly = KPITrend.points(
            Self.fixture, from: Self.day("2026-10-01"), to: Self.day("2026-10-31"), interval: .month)
        #expect(monthly.map(\.billed) == [Self.inr(12500), Self.usd(100)])
        #expect(monthly.map(\.paid) == [Self.inr(3700), Self.usd(90)])
        #expect(monthly.map(\.initialDenialRate.value) == [50, 0])
        let weekly = KPITrend.points(
            Self.fixture, from: Self.day("2026-10-01"), to: Self.day("2026-10-31"), interval: .week)
        // 2026-10-01 is a Thursday: weeks start 09-28, 10-05, 10-12, 10-19, 10-26.
        #expect(
            weekly.filter { $0.billed.currency == .inr }.map(\.start.description)
                == ["2026-09-28", "2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26"])
        #expect(
            weekly.filter { $0.billed.currency == .inr }.map(\.billed)
                == [1000, 2000 + 3000 + 4000, 800, 700, 1000].map(Self.inr))
    }

    @Test func onlyContractualCutsReduceTheCharges() {
        #expect(
            PayerReduction.contractual(submitted: Self.inr(100), approved: Self.inr(80), reasons: ["45"])
                == Self.inr(20))
        #expect(
            PayerReduction.contractual(submitted: Self.inr(100), approved: Self.inr(80), reasons: ["45", "1"])
                == Self.inr(0))
        #expect(
            PayerReduction.contractual(submitted: Self.inr(100), approved: Self.inr(0), reasons: ["45"]) == Self.inr(0))
        #expect(
            PayerReduction.contractual(submitted: Self.inr(100), approved: Self.inr(80), reasons: []) == Self.inr(0))
        #expect(
            PayerReduction.contractual(
                submitted: Self.inr(100), approved: Self.inr(60), reasons: ["sum-insured-exhausted"])
                == Self.inr(40))
    }
}
