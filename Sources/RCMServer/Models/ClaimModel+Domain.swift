import FHIR
import Foundation
import RCMCore
import RevenueCycle

extension ClaimModel {
    /// A new row for a submission, outcome `pending`.
    /// - Throws: ``RCMCore/MoneyError/outOfRange(_:)`` for an amount beyond 64-bit minor units.
    convenience init(_ submission: ClaimSubmission) throws {
        self.init()
        let claim = submission.claim
        id = UUID()
        intakeKey = submission.intakeKey.rawValue
        identifierSystem = claim.identifier.system
        identifierValue = claim.identifier.value
        resourceID = claim.resourceID
        use = claim.use.rawValue
        patientReference = claim.patientReference
        payer = claim.payer
        provider = claim.provider
        dateOfService = claim.dateOfService.description
        currency = claim.currency.code
        billedTotalMinor = try claim.billedTotal.minorUnits()
        outcome = ClaimOutcome.pending.rawValue
        diagnoses = try Self.json(claim.diagnoses)
        findings = try Self.json(claim.findings)
        bundle = try Self.json(submission.bundle)
    }

    /// The stored claim, with `lines` (loaded by the caller) in sequence order.
    /// - Throws: ``StoredDataError`` when a stored value cannot be read back.
    func toDomain(lines: [ClaimLineModel]) throws -> StoredClaim {
        let currencyCode = try CurrencyCode(stored: currency)
        let claimLines = try lines.sorted { $0.sequence < $1.sequence }.map { try $0.toDomain() }
        let claim = Claim(
            identifier: ClaimIdentifier(system: identifierSystem, value: identifierValue), resourceID: resourceID,
            use: try StoredDataError.require(ClaimUse(rawValue: use), "claims.use", use),
            patientReference: patientReference, payer: payer, provider: provider,
            dateOfService: try ServiceDate(iso8601: dateOfService),
            diagnoses: try Self.decode([BillingCode].self, diagnoses, column: "claims.diagnoses"),
            lines: claimLines, billedTotal: Money(minorUnits: billedTotalMinor, currency: currencyCode),
            findings: try Self.decode([ClaimFinding].self, findings, column: "claims.findings"))
        return StoredClaim(
            id: ClaimID(try StoredDataError.require(id, "claims.id", "nil")), claim: claim,
            bundleJSON: $bundle.value,
            outcome: try StoredDataError.require(ClaimOutcome(rawValue: outcome), "claims.outcome", outcome),
            approvedTotal: approvedTotalMinor.map { Money(minorUnits: $0, currency: currencyCode) })
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, column: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoredDataError(column: column, value: String(text.prefix(40)))
        }
    }
}

extension ClaimLineModel {
    /// The payer's reason codes for this line (`[]` before adjudication).
    /// - Throws: ``StoredDataError`` when the stored value cannot be read back.
    func reasons() throws -> [String] {
        try adjudicationReasons.map {
            try ClaimModel.decode([String].self, $0, column: "claim_lines.adjudication_reasons")
        } ?? []
    }

    /// A new row for `line` of claim `claimID`.
    convenience init(_ line: ClaimLine, claimID: UUID) throws {
        self.init()
        id = UUID()
        $claim.id = claimID
        sequence = line.sequence
        submittedSequence = line.submittedSequence
        serviceSystem = line.service.system
        serviceCode = line.service.code
        serviceDisplay = line.service.display
        quantity = "\(line.quantity)"
        currency = line.net.currency.code
        unitPriceMinor = try line.unitPrice.minorUnits()
        netMinor = try line.net.minorUnits()
    }

    func toDomain() throws -> ClaimLine {
        let currencyCode = try CurrencyCode(stored: currency)
        return ClaimLine(
            sequence: sequence, submittedSequence: submittedSequence,
            service: BillingCode(system: serviceSystem, code: serviceCode, display: serviceDisplay),
            quantity: try StoredDataError.require(Decimal(string: quantity), "claim_lines.quantity", quantity),
            unitPrice: Money(minorUnits: unitPriceMinor, currency: currencyCode),
            net: Money(minorUnits: netMinor, currency: currencyCode))
    }
}
