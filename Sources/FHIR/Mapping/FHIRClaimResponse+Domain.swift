import Foundation
import RCMCore

extension FHIRClaimResponse {
    /// The adjudication category code system (FHIR R4 `http://terminology.hl7.org/CodeSystem/adjudication`).
    public static let adjudicationSystem = "http://terminology.hl7.org/CodeSystem/adjudication"
    /// HCX IG v0.7.1 profile URL of ClaimResponse.
    public static let hcxProfile = "https://ig.hcxprotocol.io/v0.7.1/StructureDefinition-ClaimResponse.html"

    /// Reads the payer's decision on `claim`.
    ///
    /// Each `item.itemSequence` names a claim line; its approved amount is the `benefit`
    /// adjudication (0 when absent), its reasons the adjudications' `reason` codes. Lines the
    /// response does not mention are approved at 0. `outcome = error` means the payer could not
    /// process the claim: nothing is approved.
    /// - Throws: ``FHIRError/invalidElement(path:reason:)`` for an unknown line, a currency other
    ///   than the claim's, or an amount finer than the currency's minor unit.
    public func toAdjudication(of claim: RCMCore.Claim) throws -> ClaimAdjudication {
        let currency = claim.currency
        var decided: [Int: (approved: Money, reasons: [String])] = [:]
        for (index, responseItem) in (item ?? []).enumerated() {
            let path = "ClaimResponse.item[\(index)]"
            guard claim.lines.contains(where: { $0.sequence == responseItem.itemSequence }) else {
                throw FHIRError.invalidElement(
                    path: "\(path).itemSequence", reason: "no claim line \(responseItem.itemSequence)")
            }
            var approved = Money.zero(currency)
            var reasons: [String] = []
            for adjudication in responseItem.adjudication {
                if let reason = adjudication.reason?.coding?.first?.code ?? adjudication.reason?.text {
                    reasons.append(reason)
                }
                guard adjudication.category.coding?.contains(where: { $0.code == "benefit" }) == true,
                    let amount = adjudication.amount, let value = amount.value
                else { continue }
                guard amount.currency == nil || amount.currency?.uppercased() == currency.code else {
                    throw FHIRError.invalidElement(
                        path: "\(path).adjudication.amount.currency",
                        reason: "\(amount.currency ?? "") differs from the claim's \(currency)")
                }
                do {
                    approved = try Money(value, currency)
                } catch {
                    throw FHIRError.invalidElement(path: "\(path).adjudication.amount", reason: "\(error)")
                }
            }
            decided[responseItem.itemSequence] = (approved, reasons)
        }
        let processed = outcome != "error"
        let lines = claim.lines.map { line in
            let decision = decided[line.sequence]
            let approved = processed ? (decision?.approved ?? .zero(currency)) : .zero(currency)
            return ClaimAdjudication.Line(
                sequence: line.sequence, submitted: line.net, approved: approved, reasons: decision?.reasons ?? [])
        }
        let approvedTotal = try lines.reduce(Money.zero(currency)) { try $0.adding($1.approved) }
        return ClaimAdjudication(
            outcome: try ClaimAdjudication.outcome(billed: claim.billedTotal, approved: approvedTotal),
            lines: lines, approvedTotal: approvedTotal, disposition: disposition)
    }

    /// A ClaimResponse answering `claim` with `adjudication` (HCX IG v0.7.1 `ClaimResponse`):
    /// per line a `submitted` and a `benefit` amount (with the first reason, if any), and totals
    /// in the same two categories.
    /// - Parameters:
    ///   - created: FHIR `dateTime` text of the decision.
    public init(
        answering claim: FHIRClaim, adjudication: ClaimAdjudication, id: String, created: String
    ) {
        func category(_ code: String) -> CodeableConcept {
            CodeableConcept(system: Self.adjudicationSystem, code: code)
        }
        func money(_ value: Money) -> FHIRMoney { FHIRMoney(value: value.amount, currency: value.currency.code) }
        let items = adjudication.lines.map { line in
            Item(
                itemSequence: line.sequence,
                adjudication: [
                    Adjudication(category: category("submitted"), amount: money(line.submitted)),
                    Adjudication(
                        category: category("benefit"),
                        reason: line.reasons.first.map { CodeableConcept(coding: [Coding(code: $0)], text: $0) },
                        amount: money(line.approved)),
                ])
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
