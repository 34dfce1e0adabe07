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

extension CoverageEligibilityResponse {
    /// HCX IG v0.7.1 profile URL of CoverageEligibilityResponse.
    public static let hcxProfile =
        "https://ig.hcxprotocol.io/v0.7.1/StructureDefinition-CoverageEligibilityResponse.html"

    /// A response answering `request` with `result` for its focal coverage (HCX IG v0.7.1): one
    /// `insurance` entry with `inforce` and the benefits (service category from the
    /// `ex-benefitcategory` code system, type from `benefit-type`), errors as `error.code` codes.
    /// - Parameter created: FHIR `dateTime` text of the answer.
    public init(answering request: CoverageEligibilityRequest, result: EligibilityResult, id: String, created: String) {
        func money(_ value: Money?) -> FHIRMoney? {
            value.map { FHIRMoney($0) }
        }
        let focal = request.insurance?.first(where: { $0.focal == true }) ?? request.insurance?.first
        let benefits = Dictionary(grouping: result.benefits, by: { $0.category })
            .sorted { ($0.key ?? "") < ($1.key ?? "") }
            .map { category, benefits in
                Item(
                    category: category.map {
                        CodeableConcept(system: "http://terminology.hl7.org/CodeSystem/ex-benefitcategory", code: $0)
                    },
                    benefit: benefits.map {
                        Benefit(
                            type: CodeableConcept(
                                system: "http://terminology.hl7.org/CodeSystem/benefit-type", code: $0.type),
                            allowedMoney: money($0.allowed), usedMoney: money($0.used))
                    })
            }
        self.init(
            id: id, meta: Meta(profile: [Self.hcxProfile]),
            identifier: [Identifier(system: "urn:rcm:coverage-eligibility-response", value: id)], status: "active",
            purpose: request.purpose ?? ["validation"], patient: request.patient, servicedDate: request.servicedDate,
            servicedPeriod: request.servicedPeriod, created: created, requestor: request.provider,
            request: Reference(
                reference: request.id.map { "CoverageEligibilityRequest/\($0)" }, identifier: request.identifier?.first),
            outcome: result.outcome, disposition: result.disposition, insurer: request.insurer,
            insurance: focal.map { [Insurance(coverage: $0.coverage, inforce: result.inForce, item: benefits)] },
            error: result.errors.isEmpty
                ? nil : result.errors.map { ResponseError(code: CodeableConcept(coding: [Coding(code: $0)], text: $0)) }
        )
    }
}
