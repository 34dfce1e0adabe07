import Foundation
import HCXSandbox
import RCMCore
import Testing

/// The rules file and the payer's decisions, without HTTP.
struct SandboxRulesTests {
    @Test func theShippedRulesFileIsTheDocumentedDefault() throws {
        let rules = try SandboxRules.load(
            contentsOf: Samples.repositoryRoot.appendingPathComponent("sandbox/rules.json").path)
        #expect(rules == SandboxRules.default)
    }

    @Test func badRulesAreNamedByField() throws {
        func error(_ json: String) -> String? {
            do {
                _ = try SandboxRules.decode(Data(json.utf8), source: "rules.json")
                return nil
            } catch {
                return "\(error)"
            }
        }
        let member = #""subscriber_id":"M1","status":"active","coverage_start":"2026-01-01""#
        #expect(error("{") == "rules.json: not JSON")
        #expect(error(#"{"members":[]}"#) == "rules.json: currency: required")
        #expect(
            error(#"{"currency":"INR","members":[{\#(member),"sum_insured":50000}]}"#)
                == "rules.json: members[0].sum_insured: must be a string of decimal text such as \"2500.50\"")
        #expect(
            error(#"{"currency":"INR","members":[{\#(member),"sum_insured":"lots"}]}"#)
                == "rules.json: members[0].sum_insured: 'lots' is not a non-negative amount such as \"2500.50\"")
        #expect(
            error(#"{"currency":"INR","members":[{\#(member),"sum_insured":"1","copay_percent":"150"}]}"#)
                == "rules.json: members[0].copay_percent: more than 100")
        #expect(
            error(#"{"currency":"RUPEES","members":[]}"#) == "rules.json: currency: 'RUPEES' is not an ISO 4217 code")
        #expect(
            error(#"{"currency":"INR","members":[],"faults":{"drop_callback_rate":2}}"#)
                == "rules.json: faults.drop_callback_rate: must be between 0 and 1")
        // A misspelt key is refused, not read as "not set".
        #expect(
            error(#"{"currency":"INR","members":[],"faults":{"drop_callbak_rate":0.5}}"#)?.hasPrefix(
                "rules.json: faults.drop_callbak_rate: unknown key (known here: drop_callback_rate, ") == true)
        #expect(
            error(#"{"currency":"INR","members":[{\#(member),"sum_insured":"1","colour":"red"}]}"#)?.hasPrefix(
                "rules.json: members[0].colour: unknown key") == true)
        #expect(
            error(
                #"{"currency":"INR","members":[{"subscriber_id":"M1","status":"weird","coverage_start":"2026-01-01","sum_insured":"1"}]}"#
            )
                == "rules.json: members[0].status: 'weird' is not one of active, cancelled, draft, entered-in-error")
        #expect(
            error(#"{"currency":"INR","members":[{\#(member),"sum_insured":"1"},{\#(member),"sum_insured":"2"}]}"#)
                == "rules.json: members[1].subscriber_id: 'M1' appears twice")
        #expect(
            error(#"{"currency":"INR","members":[{\#(member),"sum_insured":"5.001"}]}"#)
                == "rules.json: members[0].sum_insured: 5.001 has more decimals than INR's minor unit")
    }

    private func claim(_ lines: [(code: String, amount: String)], use: ClaimUse = .claim, date: String = "2026-06-01")
        throws -> Claim
    {
        let claimLines = try lines.enumerated().map { index, line in
            let money = try Money(DecimalText.parse(line.amount)!, .inr)
            return ClaimLine(
                sequence: index + 1, submittedSequence: index + 1,
                service: BillingCode(system: nil, code: line.code, display: nil),
                quantity: 1, unitPrice: money, net: money)
        }
        let total = try claimLines.reduce(Money.zero(.inr)) { try $0.adding($1.net) }
        return Claim(
            identifier: ClaimIdentifier(system: nil, value: "C1"), resourceID: nil, use: use,
            patientReference: "Patient/p", payer: "Organization/payer", provider: "Organization/provider",
            dateOfService: try ServiceDate(iso8601: date), diagnoses: [], lines: claimLines, billedTotal: total,
            findings: [])
    }

    private let rules = SandboxRules(
        currency: "INR",
        members: [
            .init(
                subscriberID: "M1", coverageStart: try! ServiceDate(iso8601: "2026-01-01"),
                coverageEnd: try! ServiceDate(iso8601: "2026-12-31"), sumInsured: "10000.00", copayPercent: "10",
                deductible: "500"),
            .init(
                subscriberID: "LAPSED", status: "cancelled", coverageStart: try! ServiceDate(iso8601: "2026-01-01"),
                sumInsured: "10000.00"),
        ],
        services: [.init(code: "SURG", preauthRequired: true), .init(code: "VIT", excluded: true)],
        preauthRequiredOver: "50000.00")

    @Test func deductibleThenCopayThenSumInsured() throws {
        let adjudicator = SandboxAdjudicator(rules: rules)
        // 300 + 1,000.55: the 500 deductible takes line 1 (300) and 200 of line 2; 10 % co-pay on
        // the remaining 800.55 is 80.055 → 80.06 (half-up); benefit 720.49.
        let decision = try adjudicator.adjudicate(
            claim([("CONS", "300"), ("LAB", "1000.55")]), subscriberID: "M1", preAuthRefs: [], usedBefore: .zero(.inr))
        let lines = decision.adjudication.lines
        #expect(lines.map(\.approved.description) == ["INR 0.00", "INR 720.49"])
        #expect(lines.map { $0.copay?.description } == ["INR 300.00", "INR 280.06"])
        #expect(decision.consumed.description == "INR 720.49")

        // 9,500 used before: 500 left of the sum insured.
        let capped = try adjudicator.adjudicate(
            claim([("LAB", "5000")]), subscriberID: "M1", preAuthRefs: [],
            usedBefore: try Money(9500, .inr))
        #expect(capped.adjudication.approvedTotal.description == "INR 500.00")
        #expect(capped.adjudication.lines[0].reasons.first == SandboxReason.sumInsuredExhausted)
    }

    @Test func wholeClaimDenials() throws {
        let adjudicator = SandboxAdjudicator(rules: rules)
        func reason(_ subscriber: String?, _ claim: Claim, preauth: [String] = []) throws -> String? {
            let decision = try adjudicator.adjudicate(
                claim, subscriberID: subscriber, preAuthRefs: preauth, usedBefore: .zero(.inr))
            return decision.adjudication.outcome == .denied ? decision.adjudication.lines.first?.reasons.first : nil
        }
        #expect(try reason("NOBODY", claim([("LAB", "100")])) == SandboxReason.memberUnknown)
        #expect(try reason(nil, claim([("LAB", "100")])) == SandboxReason.memberUnknown)
        #expect(try reason("LAPSED", claim([("LAB", "100")])) == SandboxReason.coverageInactive)
        #expect(try reason("M1", claim([("LAB", "100")], date: "2027-01-01")) == SandboxReason.notCoveredOnDate)
        #expect(try reason("M1", claim([("LAB", "60000")])) == SandboxReason.preauthRequired)
        #expect(try reason("M1", claim([("LAB", "60000")]), preauth: ["PA-1"]) == nil)
        #expect(try reason("M1", claim([("LAB", "60000")], use: .preauthorization)) == nil)
    }

    @Test func lineRules() throws {
        let adjudicator = SandboxAdjudicator(rules: rules)
        let decision = try adjudicator.adjudicate(
            claim([("SURG", "2000"), ("VIT", "100"), ("LAB", "1500")]), subscriberID: "M1", preAuthRefs: [],
            usedBefore: .zero(.inr))
        #expect(
            decision.adjudication.lines.map(\.reasons.first) == [
                SandboxReason.preauthRequired, SandboxReason.excludedService, SandboxReason.memberShare,
            ])
        // LAB: 1,500 − 500 deductible − 10 % of 1,000 = 900.
        #expect(decision.adjudication.approvedTotal.description == "INR 900.00")
        #expect(decision.adjudication.outcome == .partiallyApproved)
    }

    @Test func aClaimInAnotherCurrencyIsRefused() throws {
        let usd = try Money(10, CurrencyCode("USD"))
        let line = ClaimLine(
            sequence: 1, submittedSequence: 1, service: BillingCode(system: nil, code: "X", display: nil), quantity: 1,
            unitPrice: usd, net: usd)
        let claim = Claim(
            identifier: ClaimIdentifier(system: nil, value: "C"), resourceID: nil, use: .claim, patientReference: "P",
            payer: "O", provider: "O", dateOfService: try ServiceDate(iso8601: "2026-06-01"), diagnoses: [],
            lines: [line], billedTotal: usd, findings: [])
        #expect(throws: SandboxRulesError.self) {
            try SandboxAdjudicator(rules: rules).adjudicate(
                claim, subscriberID: "M1", preAuthRefs: [], usedBefore: .zero(.inr))
        }
    }
}
