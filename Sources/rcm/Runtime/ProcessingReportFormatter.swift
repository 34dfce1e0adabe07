import Foundation
import RCMCore
import RevenueCycle

/// Renders a ``RevenueCycle/ProcessingReport`` for people (text) or programs (JSON).
enum ProcessingReportFormatter {
    static func text(_ report: ProcessingReport) -> String {
        var lines: [String] = ["", "Summary"]
        lines.append(
            "  claims: \(report.claims.count)   duplicate inputs: \(report.duplicates.count)   "
                + "inputs with errors: \(report.errors.count)")
        if !report.claims.isEmpty {
            lines.append("  by outcome:")
            for (outcome, count) in report.outcomes.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(outcome.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(count)")
            }
            for total in report.totals {
                lines.append("  billed   \(total.billed)")
                lines.append("  approved \(total.approved)")
                lines.append("  paid     \(total.paid)")
            }
            if !report.denials.isEmpty {
                lines.append("  denials by category (next action):")
                for (category, count) in report.denialsByCategory.sorted(by: { $0.key < $1.key }) {
                    let stake = report.denials.filter { $0.category == category }
                    let action = stake.first?.nextAction.rawValue ?? ""
                    lines.append(
                        "    \(category.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(count)  → \(action)"
                    )
                }
            }
            lines.append("  claims:")
            for claim in report.claims {
                let approved = claim.approved.map { " approved \($0)" } ?? ""
                let paid = claim.paid.map { " paid \($0)" } ?? ""
                lines.append(
                    "    \(claim.claimID)  \(claim.identifier)  \(claim.outcome.rawValue)  billed \(claim.billed)\(approved)\(paid)"
                        + (claim.preExisting ? "  (taken in earlier)" : ""))
                lines += claim.findings.map { "        \($0)" }
            }
        }
        if !report.duplicates.isEmpty {
            lines.append("  duplicate inputs (not taken in again):")
            lines += report.duplicates.map { "    \($0.source): \($0.reason)" }
        }
        if !report.errors.isEmpty {
            lines.append("  inputs with errors:")
            lines += report.errors.map { "    \($0.source): \($0.reason)" }
        }
        return lines.joined(separator: "\n")
    }

    /// The report as JSON: `claims` (each with `outcome`, `billed`, `approved`, `paid` as
    /// `{amount, currency}` with amounts as decimal strings in major units), `byOutcome`,
    /// `denials` (category, next action, amount at stake, reasons) and `denialsByCategory`,
    /// `totals`, `duplicates` and `errors`.
    static func json(_ report: ProcessingReport) throws -> String {
        struct Amount: Encodable {
            let amount: String
            let currency: String
            init(_ money: Money) {
                amount = money.amountText
                currency = money.currency.code
            }
        }
        struct ClaimJSON: Encodable {
            let source, claimID, identifier, outcome: String
            let billed: Amount
            let approved: Amount?
            let paid: Amount?
            let preExisting: Bool
            let findings: [ClaimFinding]
        }
        struct TotalJSON: Encodable {
            let currency: String
            let billed, approved, paid: Amount
        }
        struct DenialJSON: Encodable {
            let claimID, identifier, outcome, category, nextAction: String
            let atStake: Amount
            let reasons: [String]
        }
        struct ReportJSON: Encodable {
            let claims: [ClaimJSON]
            let byOutcome: [String: Int]
            let denials: [DenialJSON]
            let denialsByCategory: [String: Int]
            let totals: [TotalJSON]
            let duplicates, errors: [ProcessingReport.Skipped]
        }
        let value = ReportJSON(
            claims: report.claims.map {
                ClaimJSON(
                    source: $0.source, claimID: $0.claimID.description, identifier: $0.identifier,
                    outcome: $0.outcome.rawValue, billed: Amount($0.billed), approved: $0.approved.map(Amount.init),
                    paid: $0.paid.map(Amount.init), preExisting: $0.preExisting, findings: $0.findings)
            },
            byOutcome: Dictionary(uniqueKeysWithValues: report.outcomes.map { ($0.key.rawValue, $0.value) }),
            denials: report.denials.map {
                DenialJSON(
                    claimID: $0.claimID.description, identifier: $0.identifier, outcome: $0.outcome.rawValue,
                    category: $0.category.rawValue, nextAction: $0.nextAction.rawValue, atStake: Amount($0.atStake),
                    reasons: $0.reasons)
            },
            denialsByCategory: Dictionary(
                uniqueKeysWithValues: report.denialsByCategory.map { ($0.key.rawValue, $0.value) }),
            totals: report.totals.map {
                TotalJSON(
                    currency: $0.currency.code, billed: Amount($0.billed), approved: Amount($0.approved),
                    paid: Amount($0.paid))
            },
            duplicates: report.duplicates, errors: report.errors)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
