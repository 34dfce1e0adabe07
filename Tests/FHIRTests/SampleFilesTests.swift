import Foundation
import RCMCore
import TestSupport
import Testing

@testable import FHIR

/// Every third-party HCX sample, read with real content asserted, and written back without losing
/// an element (`Preserved`).
@Suite struct SampleFilesTests {
    func json(_ name: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: try SharedSamples.data(name))
    }

    /// Reads `value` as `T` through `Preserved` and checks the round trip keeps every element.
    func preserved<T: Codable & Sendable>(_ value: JSONValue, as type: T.Type) throws -> T {
        let wrapped = try Preserved<T>(json: value)
        #expect(try wrapped.json() == value, "a \(T.self) lost or changed an element on the round trip")
        return wrapped.model
    }

    func resource<T: Codable & Sendable>(_ bundle: JSONValue, _ resourceType: String, as type: T.Type) throws -> T {
        let entry = try #require(try bundle.decode(as: FHIR.Bundle.self).firstEntry(ofType: resourceType))
        return try preserved(try #require(entry.resource), as: T.self)
    }

    @Test func claimRequestBundleSDK() throws {
        let bundle = try json("claim_request_bundle_v0.7.1_sdk.json")
        let claim = try resource(bundle, "Claim", as: FHIRClaim.self)
        #expect(claim.use == "claim")
        #expect(claim.item?.count == 13)
        #expect(claim.total == FHIRMoney(value: 146_000, currency: "INR"))
        #expect(claim.careTeam?.first?.provider?.reference == "Organization/WeMeanWell01")
        #expect(claim.payee?.type?.coding?.first?.code == "provider")
        let patient = try resource(bundle, "Patient", as: Patient.self)
        #expect(patient.name?.first?.text == "Prasidh Dixit")
        #expect(patient.birthDate == "1960-09-26")
        let coverage = try resource(bundle, "Coverage", as: Coverage.self)
        #expect(coverage.subscriberId == "2XX8971")
        #expect(coverage.status == "active")
    }

    @Test func claimRequestBundlesArray() throws {
        guard case .array(let bundles) = try json("claim_request_bundles_v0.7.1.json") else {
            Issue.record("expected an array")
            return
        }
        #expect(bundles.count == 2)
        for bundle in bundles {
            let claim = try resource(bundle, "Claim", as: FHIRClaim.self)
            #expect(claim.id == "a5fff1e1-73f0-4c8d-9c10-f123d9c7a344")
            #expect(claim.item?.compactMap { $0.unitPrice?.value }.reduce(0, +) == 146_000)
            #expect(try resource(bundle, "Organization", as: Organization.self).name == "WeMeanWell Hospital")
        }
    }

    @Test func claimRequestDocumentBundle() throws {
        let bundle = try json("claim_request_bundle_v0.7_document.json")
        #expect(bundle["type"] == .string("document"))
        let composition = try resource(bundle, "Composition", as: Composition.self)
        #expect(composition.section?.isEmpty == false)
        let claim = try resource(bundle, "Claim", as: FHIRClaim.self)
        #expect(claim.procedure?.count == 3)
        #expect(claim.total == FHIRMoney(value: Decimal(string: "129.16"), currency: "USD"))
        #expect(claim.billablePeriod?.start == "1979-02-27T16:01:08-05:00")
    }

    @Test func claimResponseDocumentBundle() throws {
        let bundle = try json("claim_response_bundle_v0.7_document.json")
        let response = try resource(bundle, "ClaimResponse", as: FHIRClaimResponse.self)
        #expect(response.outcome == "complete")
        let benefit = response.total?.first { $0.category.coding?.first?.code == "benefit" }
        #expect(benefit?.amount.currency == "INR")
        #expect(response.item?.isEmpty == false)
    }

    @Test func preauthResponseDocumentBundle() throws {
        let bundle = try json("preauth_response_bundle_v0.7_document.json")
        let response = try resource(bundle, "ClaimResponse", as: FHIRClaimResponse.self)
        #expect(response.use == "preauthorization")
        #expect(response.outcome == "complete")
        #expect(response.payment?.amount == FHIRMoney(value: 410_000, currency: "INR"))
        #expect(response.payment?.identifier?.value == "201408-2-1569478")
        let item = try #require(response.item?.first)
        #expect(item.adjudication.first { $0.category.coding?.first?.code == "eligpercent" }?.value == 80)
        #expect(
            item.adjudication.first { $0.category.coding?.first?.code == "benefit" }?.reason?.coding?.first?.code
                == "ar002")
    }

    @Test func coverageEligibilityRequestBundles() throws {
        guard case .array(let bundles) = try json("coverage_eligibility_request_bundles_v0.7.1.json") else {
            Issue.record("expected an array")
            return
        }
        #expect(bundles.count == 3)
        let request = try resource(bundles[0], "CoverageEligibilityRequest", as: CoverageEligibilityRequest.self)
        #expect(request.purpose == ["benefits"])
        #expect(request.item?.first?.productOrService?.coding?.first?.code == "E101021")
        #expect(request.insurance?.first?.coverage.reference == "Coverage/COVERAGE1")
        // The sample's service date has a two-digit year; it is read as sent, not corrected.
        #expect(request.servicedDate == "0026-12-13")
    }

    @Test func coverageEligibilityRequestDocumentBundle() throws {
        let bundle = try json("coverage_eligibility_request_bundle_v0.7_document.json")
        let request = try resource(bundle, "CoverageEligibilityRequest", as: CoverageEligibilityRequest.self)
        #expect(request.patient?.reference != nil)
        #expect(try resource(bundle, "Composition", as: Composition.self).status != nil)
    }

    @Test func coverageEligibilityResponseDocumentBundle() throws {
        let bundle = try json("coverage_eligibility_response_bundle_v0.7_document.json")
        let response = try resource(bundle, "CoverageEligibilityResponse", as: CoverageEligibilityResponse.self)
        #expect(response.servicedPeriod == Period(start: "2021-12-22", end: "2021-12-25"))
        let result = try response.toEligibilityResult()
        #expect(result.inForce)
        #expect(result.outcome == "complete")
        let planLimit = result.benefits.first { $0.category == "30" && $0.type == "benefit" }
        #expect(planLimit?.allowed?.description == "INR 500000.00")
        #expect(result.benefits.contains { $0.type == "copay-maximum" && $0.allowed?.description == "INR 100.00" })
        #expect(try resource(bundle, "Practitioner", as: Practitioner.self).id != nil)
    }

    @Test func paymentNotice() throws {
        let notice = try preserved(try json("payment_notice.json"), as: PaymentNotice.self)
        let payment = try notice.toPayment()
        #expect(payment.identifier == "776543")
        #expect(payment.amount.description == "INR 12500.00")
        #expect(payment.paymentDate?.description == "2014-08-15")
        #expect(payment.kind == "paid")
        #expect(payment.claimReference == "https://www.tmh.in/fhir/claim/12345")
    }

    @Test func paymentReconciliation() throws {
        let reconciliation = try preserved(try json("payment_reconciliation.json"), as: PaymentReconciliation.self)
        #expect(reconciliation.paymentAmount == FHIRMoney(value: 7000, currency: "INR"))
        let payments = try reconciliation.toPayments()
        #expect(payments.first?.identifier == "10-12345-001")
        #expect(payments.first?.amount.description == "INR 3500.00")
        #expect(payments.first?.kind == "payment")
        #expect(payments.first?.claimReference == "AB12345")
    }

    @Test func communication() throws {
        let communication = try preserved(try json("communication.json"), as: Communication.self)
        #expect(communication.status == "completed")
        #expect(communication.basedOn?.first?.reference == "#request")
        #expect(communication.payload?.first?.contentAttachment?.title == "accident notes 20100201.pdf")
        #expect(communication.payload?.last?.contentAttachment?.size == 104_274)
    }

    @Test func insurancePlanIsAFHIRResourceKeptWhole() throws {
        let plan = try json("insurance_plan_v0.7.json")
        #expect(plan["resourceType"] == .string("InsurancePlan"))
        #expect(FHIRResourceType.isKnown("InsurancePlan"))
        // No typed model yet: the JSON form keeps it whole.
        #expect(try JSONDecoder().decode(JSONValue.self, from: try plan.canonicalData()) == plan)
    }

    @Test func nonstandardPreauthIsRejectedNamingTheTypeAndPlace() throws {
        let results = try ClaimBundle.read(
            try SharedSamples.data("preauth_request_bundles_v0.7.1_NONSTANDARD_mock.json"))
        #expect(results.count == 2)
        for result in results {
            #expect(
                throws: FHIRError.invalidResource(
                    "Bundle",
                    reason: "entry[0].resource has resourceType 'Preauth', which is not a FHIR R4 resource "
                        + "(a pre-authorisation is a Claim with use = preauthorization)")
            ) {
                try result.get()
            }
        }
    }

    @Test func preservedKeepsUnknownElementsWhenTheModelChanges() throws {
        let original = try JSONDecoder().decode(
            JSONValue.self,
            from: Data(#"{"resourceType":"Coverage","status":"active","x-extra":{"a":[1,2]},"subscriberId":"M1"}"#.utf8)
        )
        var coverage = try Preserved<Coverage>(json: original)
        coverage.model.status = "cancelled"
        let written = try coverage.json()
        #expect(written["status"] == .string("cancelled"))
        #expect(written["x-extra"] == original["x-extra"])
        #expect(written["subscriberId"] == .string("M1"))
    }
}
