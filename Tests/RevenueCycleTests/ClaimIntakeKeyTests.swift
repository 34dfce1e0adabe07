import FHIR
import Foundation
import RCMCore
import TestSupport
import Testing

@testable import RevenueCycle

@Suite struct ClaimIntakeKeyTests {
    static func submissions(_ name: String) throws -> [ClaimSubmission] {
        try ClaimBundle.read(try SharedSamples.data(name)).map {
            try ClaimSubmission(try $0.get())
        }
    }

    @Test func partiesAreNamedByTheirIdentifiersInTheBundle() throws {
        let sdk = try Self.submissions("claim_request_bundle_v0.7.1_sdk.json")[0]
        #expect(sdk.claim.payer == "GICOFINDIA")
        #expect(sdk.claim.provider == "HFR-ID-FOR-TMH")
        #expect(sdk.claim.patientReference == "BEN-101")
    }

    @Test func theSameClaimInTwoBundlesHasOneKey() throws {
        let pair = try Self.submissions("claim_request_bundles_v0.7.1.json")
        #expect(pair[0].intakeKey == pair[1].intakeKey)
        #expect(pair[0].intakeKey.rawValue.hasPrefix("http://identifiersystem.com|IdentifierValue#sha256:"))
        #expect(pair[0].intakeKey.rawValue.count == "http://identifiersystem.com|IdentifierValue#sha256:".count + 64)
    }

    @Test func anotherClaimWithTheSameIdentifierHasAnotherKey() throws {
        let sdk = try Self.submissions("claim_request_bundle_v0.7.1_sdk.json")[0]
        let other = try Self.submissions("claim_request_bundles_v0.7.1.json")[0]
        #expect(sdk.claim.identifier == other.claim.identifier)
        #expect(sdk.intakeKey != other.intakeKey)
    }

    @Test func keyOrderAndWhitespaceDoNotChangeTheKey() throws {
        let compact = #"{"resourceType":"Claim","id":"x","total":{"value":10.50,"currency":"INR"}}"#
        let spaced = #"{ "total": { "currency": "INR", "value": 10.5 }, "id": "x", "resourceType": "Claim" }"#
        let identifier = ClaimIdentifier(system: nil, value: "X")
        let first = try ClaimIntakeKey(
            identifier: identifier, claimResource: try JSONDecoder().decode(JSONValue.self, from: Data(compact.utf8)))
        let second = try ClaimIntakeKey(
            identifier: identifier, claimResource: try JSONDecoder().decode(JSONValue.self, from: Data(spaced.utf8)))
        #expect(first == second)
    }

    @Test func theBundleToSendCarriesRenumberedLines() throws {
        let sdk = try Self.submissions("claim_request_bundle_v0.7.1_sdk.json")[0]
        let resent = try ClaimBundle(json: sdk.bundle)
        #expect(resent.claim.item?.map(\.sequence) == Array(1...13))
        let lines = try resent.claim.toDomain().lines
        #expect(lines.map(\.service) == sdk.claim.lines.map(\.service))
        #expect(lines.map(\.net) == sdk.claim.lines.map(\.net))
        #expect(lines.map(\.submittedSequence) == (1...13).map { $0 })
    }
}
