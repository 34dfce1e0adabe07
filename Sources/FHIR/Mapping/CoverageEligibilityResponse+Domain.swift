import Foundation
import RCMCore

extension CoverageEligibilityResponse {
    /// Reads the payer's answer into an ``RCMCore/EligibilityResult`` (FHIR R4
    /// CoverageEligibilityResponse; HCX IG v0.7.1).
    /// - Throws: ``FHIRError/invalidElement(path:reason:)`` for a benefit amount that is not exact
    ///   money in an ISO 4217 currency.
    public func toEligibilityResult() throws -> EligibilityResult {
        let coverages = insurance ?? []
        var benefits: [EligibilityResult.Benefit] = []
        for (coverageIndex, coverage) in coverages.enumerated() {
            for (itemIndex, item) in (coverage.item ?? []).enumerated() {
                for (benefitIndex, benefit) in (item.benefit ?? []).enumerated() {
                    let path =
                        "CoverageEligibilityResponse.insurance[\(coverageIndex)].item[\(itemIndex)].benefit[\(benefitIndex)]"
                    benefits.append(
                        .init(
                            category: item.category?.coding?.first?.code,
                            type: benefit.type.coding?.first?.code ?? benefit.type.text ?? "unknown",
                            allowed: try benefit.allowedMoney.map { try $0.money(at: "\(path).allowedMoney") },
                            used: try benefit.usedMoney.map { try $0.money(at: "\(path).usedMoney") }))
                }
            }
        }
        return EligibilityResult(
            inForce: !coverages.isEmpty && coverages.allSatisfy { $0.inforce == true }, outcome: outcome ?? "complete",
            disposition: disposition, benefits: benefits,
            errors: (error ?? []).compactMap { $0.code.coding?.first?.code ?? $0.code.text })
    }
}
