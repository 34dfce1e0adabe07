import Foundation
import RCMCore

extension FHIRClaimResponse {
    /// The adjudication category code system (FHIR R4 `http://terminology.hl7.org/CodeSystem/adjudication`).
    public static let adjudicationSystem = "http://terminology.hl7.org/CodeSystem/adjudication"
    /// The adjudication categories read per line.
    static let readCategories: Set<String> = ["benefit", "eligible", "copay"]

    /// HCX IG v0.7.1 profile URL of ClaimResponse.
    public static let hcxProfile = "https://ig.hcxprotocol.io/v0.7.1/StructureDefinition-ClaimResponse.html"

    /// Reads the payer's decision on `claim`.
    ///
    /// Each `item.itemSequence` names a claim line; its approved amount is the `benefit`
    /// adjudication (0 when absent), its `eligible` and `copay` amounts are kept when given, its
    /// reasons are the adjudications' `reason` codes. Lines the
    /// response does not mention are approved at 0. `outcome = error` means the payer could not
    /// process the claim: nothing is approved.
    /// - Throws: ``FHIRError/invalidElement(path:reason:)`` for an unknown line, a currency other
    ///   than the claim's, or an amount finer than the currency's minor unit.
    public func toAdjudication(of claim: RCMCore.Claim) throws -> ClaimAdjudication {
        let currency = claim.currency
        var decided: [Int: (amounts: [String: Money], reasons: [String])] = [:]
        for (index, responseItem) in (item ?? []).enumerated() {
            let path = "ClaimResponse.item[\(index)]"
            guard claim.lines.contains(where: { $0.sequence == responseItem.itemSequence }) else {
                throw FHIRError.invalidElement(
                    path: "\(path).itemSequence", reason: "no claim line \(responseItem.itemSequence)")
            }
            var amounts: [String: Money] = [:]
            var reasons: [String] = []
            for (adjudicationIndex, adjudication) in responseItem.adjudication.enumerated() {
                if let reason = adjudication.reason?.coding?.first?.code ?? adjudication.reason?.text {
                    reasons.append(reason)
                }
                guard
                    let category = adjudication.category.coding?.first(where: {
                        Self.readCategories.contains($0.code ?? "")
                    })?.code,
                    let amount = adjudication.amount, let value = amount.value
                else { continue }
                let amountPath = "\(path).adjudication[\(adjudicationIndex)].amount"
                guard amount.currency == nil || amount.currency?.uppercased() == currency.code else {
                    throw FHIRError.invalidElement(
                        path: "\(amountPath).currency",
                        reason: "\(amount.currency ?? "") differs from the claim's \(currency)")
                }
                do {
                    amounts[category] = try Money(value, currency)
                } catch {
                    throw FHIRError.invalidElement(path: amountPath, reason: "\(error)")
                }
            }
            decided[responseItem.itemSequence] = (amounts, reasons)
        }
        let processed = outcome != "error"
        let lines = claim.lines.map { line in
            let decision = decided[line.sequence]
            let approved = processed ? (decision?.amounts["benefit"] ?? .zero(currency)) : .zero(currency)
            return ClaimAdjudication.Line(
                sequence: line.sequence, submitted: line.net, approved: approved, reasons: decision?.reasons ?? [],
                eligible: processed ? decision?.amounts["eligible"] : nil,
                copay: processed ? decision?.amounts["copay"] : nil)
        }
        let approvedTotal = try lines.reduce(Money.zero(currency)) { try $0.adding($1.approved) }
        return ClaimAdjudication(
            outcome: try ClaimAdjudication.outcome(billed: claim.billedTotal, approved: approvedTotal),
            lines: lines, approvedTotal: approvedTotal, disposition: disposition, preAuthRef: preAuthRef)
    }

    /// A ClaimResponse answering `claim` with `adjudication` (HCX IG v0.7.1 `ClaimResponse`):
    /// per line a `submitted`, the `eligible` and `copay` amounts when known, and a `benefit`
    /// amount (with the first reason, if any); totals in the `submitted` and `benefit` categories.
    /// - Parameters:
    ///   - created: FHIR `dateTime` text of the decision.
    public init(
        answering claim: FHIRClaim, adjudication: ClaimAdjudication, id: String, created: String
    ) {
        func category(_ code: String) -> CodeableConcept {
            CodeableConcept(system: Self.adjudicationSystem, code: code)
        }
        func money(_ value: Money) -> FHIRMoney { FHIRMoney(value) }
        let items = adjudication.lines.map { line in
            var amounts = [Adjudication(category: category("submitted"), amount: money(line.submitted))]
            if let eligible = line.eligible {
                amounts.append(Adjudication(category: category("eligible"), amount: money(eligible)))
            }
            if let copay = line.copay {
                amounts.append(Adjudication(category: category("copay"), amount: money(copay)))
            }
            amounts.append(
                Adjudication(
                    category: category("benefit"),
                    reason: line.reasons.first.map { CodeableConcept(coding: [Coding(code: $0)], text: $0) },
                    amount: money(line.approved)))
            return Item(itemSequence: line.sequence, adjudication: amounts)
        }
        let submitted = adjudication.lines.reduce(into: Decimal(0)) { $0 += $1.submitted.amount }
        let currency = adjudication.approvedTotal.currency.code
        self.init(
            id: id, meta: Meta(profile: [Self.hcxProfile]),
            identifier: [Identifier(system: "urn:rcm:claim-response", value: id)], status: "active",
            type: claim.type, use: claim.use ?? "claim", patient: claim.patient, created: created,
            insurer: claim.insurer, requestor: claim.provider,
            request: Reference(reference: claim.id.map { "Claim/\($0)" }, identifier: claim.identifier?.first),
            outcome: "complete", disposition: adjudication.disposition, item: items,
            total: [
                Total(category: category("submitted"), amount: FHIRMoney(value: submitted, currency: currency)),
                Total(category: category("benefit"), amount: money(adjudication.approvedTotal)),
            ])
    }
}
