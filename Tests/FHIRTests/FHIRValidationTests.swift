import Foundation
import RCMCore
import TestSupport
import Testing

@testable import FHIR

/// Bundles RCM produces, checked by an independent FHIR R4 validator (fhir.resources 6.4.0, run
/// when `RCM_FHIR_PYTHON` names a Python with `Tests/Interop/fhir-requirements.txt`; `.ci/run` sets
/// it up) and, for the code values that validator does not check, by these tests.
@Suite struct FHIRValidationTests {
    static let validator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/fhir_validate.py").path

    /// The ClaimResponseBundle the sandbox payer sends for the SDK sample claim, partly approved.
    static func claimResponseBundle() throws -> FHIR.Bundle {
        let claimBundle = try ClaimBundle.read(try SharedSamples.data("claim_request_bundle_v0.7.1_sdk.json"))[0].get()
        let claim = try claimBundle.claim.toDomain()
        let lines = claim.lines.map { line in
            ClaimAdjudication.Line(
                sequence: line.sequence, submitted: line.net, approved: line.sequence == 1 ? .zero(.inr) : line.net,
                reasons: line.sequence == 1 ? ["over-claim-limit"] : [])
        }
        let approved = try lines.reduce(Money.zero(.inr)) { try $0.adding($1.approved) }
        let response = FHIRClaimResponse(
            answering: claimBundle.claim,
            adjudication: ClaimAdjudication(
                outcome: .partiallyApproved, lines: lines, approvedTotal: approved, disposition: "Partly approved"),
            id: "3c9f8e2a-1b4d-4f6e-9a7c-5d2e1f0b8a63", created: "2026-11-29T10:00:00+05:30")
        return try FHIR.Bundle.claimResponseBundle(response, timestamp: "2026-11-29T10:00:01+05:30")
    }

    /// The other resources the sandbox payer sends: an eligibility answer, a payment notice, a
    /// request for information.
    static func otherPayerDocuments() throws -> [(String, Data)] {
        let samples = try JSONDecoder().decode(
            [JSONValue].self, from: try SharedSamples.data("coverage_eligibility_request_bundles_v0.7.1.json"))
        let requestBundle = try samples[0].decode(as: FHIR.Bundle.self)
        let request = try #require(requestBundle.firstEntry(ofType: "CoverageEligibilityRequest"))
            .resource(as: CoverageEligibilityRequest.self)
        let result = EligibilityResult(
            inForce: true, outcome: "complete", disposition: "In force",
            benefits: [
                .init(
                    category: "30", type: "benefit", allowed: try Money(500_000, .inr), used: try Money(81_900, .inr))
            ], errors: [])
        let eligibility = FHIR.Bundle.hcxCollection(
            profile: FHIR.Bundle.coverageEligibilityResponseBundleProfile, timestamp: "2026-11-29T10:00:01+05:30",
            focal: try JSONValue(
                encoding: CoverageEligibilityResponse(
                    answering: request, result: result, id: "0d9e6f1a-2b3c-4d5e-8f70-1a2b3c4d5e6f",
                    created: "2026-11-29T10:00:00+05:30")))
        let claim = try ClaimBundle.read(try SharedSamples.data("claim_request_bundle_v0.7.1_sdk.json"))[0].get().claim
        let notice = PaymentNotice(
            payment: Payment(
                identifier: "PAY-1", amount: try Money(81_900, .inr),
                paymentDate: try ServiceDate(iso8601: "2026-11-29"),
                claimReference: nil, responseReference: nil, kind: "paid"),
            request: Reference(reference: "Claim/\(claim.id ?? "")"), response: Reference(reference: "ClaimResponse/1"),
            provider: claim.provider!, recipient: claim.provider!, created: "2026-11-29")
        let question = CommunicationRequest(
            askingAbout: claim, reason: "Supporting documents for E507029", id: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
            authoredOn: "2026-11-29T10:00:00+05:30")
        let eligibilityQuestion = try FHIR.Bundle.coverageEligibilityRequestBundle(
            claimBundle: try JSONDecoder().decode(
                JSONValue.self, from: try SharedSamples.data("claim_request_bundle_v0.7.1_sdk.json")),
            servicedDate: "2026-11-29", id: "7b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
            created: "2026-11-29T10:00:00+05:30",
            timestamp: "2026-11-29T10:00:00+05:30")
        return [
            ("eligibility-request-bundle.json", try JSONEncoder().encode(eligibilityQuestion)),
            ("eligibility-response-bundle.json", try JSONEncoder().encode(eligibility)),
            ("payment-notice.json", try JSONEncoder().encode(notice)),
            ("communication-request.json", try JSONEncoder().encode(question)),
        ]
    }

    /// An encounter of RCM's input format with every element the claim builder writes.
    static func encounter() throws -> RCMCore.Encounter {
        let chargemaster = "https://sunrise-clinic.rcm-demo.example/chargemaster"
        return RCMCore.Encounter(
            id: "ENC-T-1", claimIdentifier: ClaimIdentifier(system: "urn:rcm:encounter", value: "ENC-T-1"),
            claimType: "institutional",
            patient: .init(
                id: "MRN-1", name: "Test Patient", gender: "female", birthDate: try ServiceDate(iso8601: "1980-02-29"),
                address: PostalAddress(
                    lines: ["12 Elm St", "Apt 4"], city: "Springfield", state: "IL", postalCode: "62704",
                    country: "US")),
            coverage: .init(
                payer: "DEMO-HEALTH-INSURANCE", payerName: "Demo", memberID: "MEM-1", policyNumber: "POL-1",
                relationship: "self"),
            provider: .init(id: "HFR-1", name: "Clinic"), facilityTimeZone: TimeZone(identifier: "Asia/Kolkata")!,
            serviceStart: try ServiceDate(iso8601: "2026-11-14"), serviceEnd: try ServiceDate(iso8601: "2026-11-16"),
            diagnoses: [
                .init(code: BillingCode(system: CodeSystem.icd10cm.uri, code: "K35.80"), type: "principal"),
                .init(code: BillingCode(system: CodeSystem.icd10cm.uri, code: "E11.9"), type: "secondary"),
            ],
            procedures: [
                .init(
                    code: BillingCode(system: CodeSystem.icd10pcs.uri, code: "0DTJ4ZZ"),
                    date: try ServiceDate(iso8601: "2026-11-14"))
            ],
            services: [
                .init(
                    code: BillingCode(system: chargemaster, code: "IP-ROOM-TWIN"), modifiers: [], units: 2,
                    unitPrice: try Money(Decimal(string: "4500.50")!, .inr), date: nil, diagnosisPointers: [1]),
                .init(
                    code: BillingCode(system: CodeSystem.cpt.uri, code: "44970"), modifiers: ["22", "LT"], units: 1,
                    unitPrice: try Money(120_000, .inr), date: try ServiceDate(iso8601: "2026-11-14"),
                    diagnosisPointers: [1, 2]),
            ])
    }

    static func encounterClaimBundle() throws -> JSONValue {
        try FHIR.Bundle.claimRequestBundle(
            for: try encounter(), resourceID: { _ in UUID().uuidString.lowercased() },
            timestamp: "2026-11-29T10:00:00+05:30")
    }

    @Test func aClaimBuiltFromAnEncounterReadsBackAsTheEncounter() throws {
        let bundle = try ClaimBundle(json: try Self.encounterClaimBundle())
        #expect(bundle.bundle["type"]?.stringValue == "collection")
        #expect(
            bundle.bundle["entry"].map { entries in
                guard case .array(let list) = entries else { return false }
                return list.allSatisfy { $0["fullUrl"]?.stringValue?.hasPrefix("urn:uuid:") == true }
            } == true)
        let claim = try bundle.claim.toDomain()
        #expect(claim.identifier.value == "ENC-T-1")
        #expect(claim.dateOfService.description == "2026-11-14")
        #expect(claim.diagnoses.map(\.code) == ["K35.80", "E11.9"])
        #expect(claim.lines.map(\.net.description) == ["INR 9001.00", "INR 120000.00"])
        #expect(claim.billedTotal.description == "INR 129001.00")
        #expect(claim.findings.isEmpty)
        #expect(bundle.claim.procedureCodes.map(\.code) == ["0DTJ4ZZ"])
        #expect(bundle.claim.item?[1].modifier?.compactMap { $0.coding?.first?.code } == ["22", "LT"])
        #expect(bundle.claim.item?[1].diagnosisSequence == [1, 2])
        // Value sets fhir.resources does not check.
        #expect(bundle.claim.status == "active")
        #expect(bundle.claim.use == "claim")
        #expect(bundle.claim.type?.coding?.first?.code == "institutional")
    }

    @Test func aDiagnosisPointerToNoDiagnosisStopsIntake() throws {
        var claim = try ClaimBundle(json: try Self.encounterClaimBundle()).claim
        claim.item?[0].diagnosisSequence = [3]
        #expect(throws: ClaimIntakeError.self) { try claim.toDomain() }
        do { _ = try claim.toDomain() } catch let error as ClaimIntakeError {
            #expect(error.findings.map(\.field) == ["Claim.item[0].diagnosisSequence"])
        }
    }

    @Test func producedBundlesFollowTheHCXShapeAndCodes() throws {
        let bundle = try Self.claimResponseBundle()
        #expect(bundle.type == "collection")
        #expect(bundle.timestamp == "2026-11-29T10:00:01+05:30")
        #expect(bundle.meta?.profile == [FHIR.Bundle.claimResponseBundleProfile])
        #expect(bundle.entry?.first?.resourceType == "ClaimResponse")
        #expect(bundle.entry?.allSatisfy { $0.fullUrl?.hasPrefix("urn:uuid:") == true } == true)
        let response = try #require(try bundle.entry?.first?.resource(as: FHIRClaimResponse.self))
        // Required bindings fhir.resources does not check (FHIR R4 value sets).
        #expect(["active", "cancelled", "draft", "entered-in-error"].contains(response.status ?? ""))
        #expect(["claim", "preauthorization", "predetermination"].contains(response.use ?? ""))
        #expect(["queued", "complete", "error", "partial"].contains(response.outcome ?? ""))
        #expect(response.type?.coding?.first?.system == "http://terminology.hl7.org/CodeSystem/claim-type")
        let items = response.item ?? []
        let categories = Set(items.flatMap { item in item.adjudication.compactMap { $0.category.coding?.first?.code } })
        #expect(categories == Set(["submitted", "benefit"]))
        #expect(response.item?.count == 13)
    }

    @Test(.enabled(if: FHIRValidator.python != nil))
    func anIndependentR4ValidatorAcceptsWhatWeProduce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-fhir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let claimBundle = try ClaimBundle.read(try SharedSamples.data("claim_request_bundle_v0.7.1_sdk.json"))[0].get()
        let documents: [(String, Data)] =
            [
                ("claim-response-bundle.json", try JSONEncoder().encode(try Self.claimResponseBundle())),
                ("renumbered-claim-bundle.json", try JSONEncoder().encode(claimBundle.normalizingClaimItems())),
                ("encounter-claim-bundle.json", try JSONEncoder().encode(try Self.encounterClaimBundle())),
            ] + (try Self.otherPayerDocuments())
        var paths: [String] = []
        for (name, data) in documents {
            let url = folder.appendingPathComponent(name)
            try data.write(to: url)
            paths.append(url.path)
        }
        let result = try await FHIRValidator.run(paths)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.split(separator: "\n").count == 7)

        // And it does refuse what is wrong: the same response without its required patient.
        var broken = try Self.claimResponseBundle()
        var response = try broken.entry![0].resource(as: FHIRClaimResponse.self)
        response.patient = nil
        broken.entry![0].resource = try JSONValue(encoding: response)
        let brokenURL = folder.appendingPathComponent("broken.json")
        try JSONEncoder().encode(broken).write(to: brokenURL)
        let refused = try await FHIRValidator.run([brokenURL.path])
        #expect(refused.status == 1)
        #expect(refused.output.contains("patient"))
    }
}

/// The independent validator's Python (`RCM_FHIR_PYTHON`), if configured.
enum FHIRValidator {
    static let python = ProcessInfo.processInfo.environment["RCM_FHIR_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }

    /// The validator's exit status and its output (standard error after standard output).
    static func run(_ paths: [String]) async throws -> (status: Int32, output: String) {
        let finished = try await ChildProcess.run(
            URL(fileURLWithPath: python!), arguments: [FHIRValidationTests.validator] + paths)
        return (finished.status, String(decoding: finished.stdout + finished.stderr, as: UTF8.self))
    }
}
