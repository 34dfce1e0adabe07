import FHIR
import Foundation
import RCMCore
import RevenueCycle
import TestSupport
import Testing
import Workflow
import X12

@testable import RCMServer
@testable import rcm

/// A claim for a payer set to `--transport x12` runs the same workflow to its `submit` step, which
/// writes an 837P interchange into the outbox (numbered before it is written; the same file on a
/// rewrite) and waits for the 835 of that interchange; a claim an 837P cannot carry is stopped by
/// the scrub with the fields to correct.
@Suite(.serialized) struct X12SubmissionTests {
    /// A professional claim bundle for payer `AETNA`: CPT 99213 with modifier 25, HCPCS J3490 with
    /// its narrative, two ICD-10-CM diagnoses; the patient (the subscriber) with a US address
    /// unless `address` is false.
    static func bundle(identifier: String, address: Bool = true, relationship: String = "self") -> String {
        let patientAddress =
            address
            ? #", "address": [{"line": ["12 Elm St"], "city": "Springfield", "state": "il", "postalCode": "62704-1234"}]"#
            : ""
        return """
            {"resourceType": "Bundle", "type": "collection", "entry": [
              {"fullUrl": "urn:uuid:c1", "resource": {"resourceType": "Claim", "id": "c1",
                "identifier": [{"system": "https://clinic.example/claims", "value": "\(identifier)"}],
                "status": "active", "use": "claim",
                "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
                "patient": {"reference": "urn:uuid:p1"}, "billablePeriod": {"start": "2026-11-20"},
                "created": "2026-11-20T10:00:00-06:00", "insurer": {"reference": "urn:uuid:o2"},
                "provider": {"reference": "urn:uuid:o1"},
                "diagnosis": [
                  {"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9"}]}},
                  {"sequence": 2, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I10"}]}}],
                "insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "urn:uuid:v1"}}],
                "item": [
                  {"sequence": 1, "diagnosisSequence": [1, 2],
                   "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "99213"}]},
                   "modifier": [{"coding": [{"code": "25"}]}], "unitPrice": {"value": 125.00, "currency": "USD"}},
                  {"sequence": 2, "diagnosisSequence": [1],
                   "productOrService": {"coding": [{"system": "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "code": "J3490"}],
                     "text": "Ceftriaxone 1 g IM"},
                   "quantity": {"value": 2}, "unitPrice": {"value": 17.50, "currency": "USD"}}]}},
              {"fullUrl": "urn:uuid:o1", "resource": {"resourceType": "Organization", "id": "o1",
                "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}], "name": "Springfield Family Practice"}},
              {"fullUrl": "urn:uuid:o2", "resource": {"resourceType": "Organization", "id": "o2",
                "identifier": [{"system": "https://payers.example", "value": "AETNA"}], "name": "Aetna"}},
              {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "p1",
                "identifier": [{"system": "https://clinic.example/mrn", "value": "MRN-\(identifier)"}],
                "name": [{"family": "Doe", "given": ["Jane"]}], "gender": "female", "birthDate": "1980-02-29"\(patientAddress)}},
              {"fullUrl": "urn:uuid:v1", "resource": {"resourceType": "Coverage", "id": "v1", "status": "active",
                "subscriberId": "W123456789", "beneficiary": {"reference": "urn:uuid:p1"},
                "relationship": {"coding": [{"code": "\(relationship)"}]}, "payor": [{"reference": "urn:uuid:o2"}]}}]}
            """
    }

    static let settings = """
        {"sender_id": "SPRINGFP01", "usage": "T", "time_zone": "America/Chicago", "outbox": "OUTBOX", "inbox": "INBOX",
         "submitter": {"name": "Springfield Family Practice", "id": "SPRINGFP01", "contact_name": "Billing office", "phone": "2175550100"},
         "billing_provider": {"name": "Springfield Family Practice", "npi": "1234567893", "employer_id": "371234567",
           "address": {"line1": "100 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701"}}}
        """

    /// Runs `body` with services over a fresh database whose payer `AETNA` is set to X12, and the
    /// outbox folder.
    func withX12Payer(
        _ kind: TestDatabase, _ body: (ClaimServices, URL) async throws -> Void
    ) async throws {
        try await kind.withFreshDatabase { configuration in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-x12-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let outbox = folder.appendingPathComponent("outbox")
            let settingsFile = folder.appendingPathComponent("x12.json")
            try Data(
                Self.settings.replacingOccurrences(of: "OUTBOX", with: outbox.path)
                    .replacingOccurrences(of: "INBOX", with: folder.appendingPathComponent("inbox").path).utf8
            ).write(to: settingsFile)
            var configuration = configuration
            configuration.x12SettingsPath = settingsFile.path
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let services = try ClaimServices(
                    app: app, configuration: configuration,
                    hcx: try GatewayConnection.connectionOrUnconfigured(configuration, app: app))
                try await services.payers.save(
                    PayerConfiguration(
                        payer: "AETNA", name: "Aetna", timelyFilingDays: 365,
                        transport: .x12(
                            try PayerTransport.X12Receiver(
                                receiverID: "CLEARHOUSE01", receiverName: "Demo Clearinghouse", payerID: "60054"))))
                try await body(services, outbox)
            }
        }
    }

    /// Takes the bundle in and runs its workflow as far as it goes without the payer's 835: the
    /// 270s in the outbox are answered by a 271 (cover `active` or inactive), imported as the
    /// inbox watcher would.
    func run(_ bundle: String, _ services: ClaimServices, active: Bool = true) async throws -> (ClaimID, WorkflowRecord)
    {
        let submission = try ClaimSubmission(try ClaimBundle(json: try JSONValue(parsing: Data(bundle.utf8))))
        let (id, _) = try await ClaimIntake(claims: services.claims, engine: services.engine).takeIn(submission)
        let workflow = ClaimWorkflow.workflowID(for: id)
        let run = try await services.engine.execute(
            ClaimWorkflow.name, input: try JSONEncoder().encode(ClaimWorkflow.Input(claimID: id)), id: workflow)
        guard run.status == .inProgress else { return (id, run) }
        try await Self.answerInquiries(services, active: active)
        return (id, try await services.engine.workflow(workflow))
    }

    /// Answers every 270 in the outbox with one 271 (answering one twice changes nothing).
    static func answerInquiries(_ services: ClaimServices, active: Bool) async throws {
        let folder = try #require(try services.x12InboxWatcher()).inbox.deletingLastPathComponent()
            .appendingPathComponent("outbox")
        var answers: [EligibilityResponse271.Answer] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("270-") {
            let interchange = try X12Interchange(
                text: try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
            for inquiry in try EligibilityInquiry270.inquiries(in: interchange.groups[0].transactionSets[0]) {
                answers.append(
                    .init(
                        traceNumber: inquiry.traceNumber, memberID: inquiry.memberID, lastName: inquiry.lastName,
                        firstName: inquiry.firstName, benefitCodes: [active ? "1" : "6"], rejectReasons: []))
            }
        }
        let segments = EligibilityResponse271(answers: answers).segments(
            payer: ("AETNA", "60054"), provider: ("SPRINGFIELD FAMILY PRACTICE", "1234567893"),
            originatorID: "1371234567", reference: "1", created: ("20261206", "1200"))
        let text = try X12Writer(sender: .init(id: "CLEARHOUSE01"), receiver: .init(id: "SPRINGFP01"), usage: "T")
            .interchange(
                functionalID: "HB", version: "005010X279A1", interchangeControlNumber: 900, groupControlNumber: 900,
                sets: [("271", "0001", segments)], date: Date(), timeZone: TimeZone(identifier: "UTC")!)
        _ = try await services.remittances.importFile(text, name: "271.x12")
    }

    @Test(arguments: TestDatabase.available)
    func theSubmitStepWritesAnInterchangeNumberedOnceAndWaitsForIts835(_ kind: TestDatabase) async throws {
        try await withX12Payer(kind) { services, outbox in
            let (first, started) = try await run(Self.bundle(identifier: "SFP-1001"), services)
            #expect(started.status == .inProgress, "\(started.lastError ?? "")")
            let steps = try await services.engine.status(started.id).steps
            let submitted = try JSONDecoder().decode(
                ClaimWorkflow.Submission.self,
                from: try #require(steps.first { $0.name == ClaimWorkflow.Step.submit }?.output))
            #expect(submitted.transport == .x12)
            #expect(
                steps.first { $0.name == ClaimWorkflow.Step.adjudication }?.waitKey == submitted.adjudicationEventKey)
            #expect(submitted.adjudicationEventKey == "x12/835:\(submitted.correlationID)")
            let eligibility = try #require(steps.first { $0.name == ClaimWorkflow.Step.eligibility }?.output)
            #expect(try JSONDecoder().decode(EligibilityResult.self, from: eligibility).inForce)
            let inquiry = try #require(
                try FileManager.default.contentsOfDirectory(atPath: outbox.path).first { $0.hasPrefix("270-") })
            let inquiryText = try String(contentsOf: outbox.appendingPathComponent(inquiry), encoding: .utf8)
            #expect(inquiryText.contains("NM1*IL*1*Doe*Jane****MI*W123456789~"))
            #expect(inquiryText.contains("DTP*291*D8*20261120~") && inquiryText.contains("EQ*30~"))

            let file = outbox.appendingPathComponent(submitted.apiCallID)
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(submitted.apiCallID == "837P-\(submitted.correlationID).x12")
            let interchange = try X12Interchange(text: text)
            #expect(interchange.controlNumber == submitted.correlationID)
            #expect(interchange.groups[0].transactionSets.count == 1)
            let segments = text.split(separator: "~").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect(segments.contains("CLM*SFP-1001*160.00***11:B:1*Y*A*Y*Y"))
            #expect(segments.contains("SV1*HC:99213:25*125.00*UN*1***1:2"))
            #expect(segments.contains("SV1*HC:J3490:::::Ceftriaxone 1 g IM*35.00*UN*2***1"))
            #expect(segments.contains("HI*ABK:E119*ABF:I10"))
            #expect(segments.contains("NM1*40*2*Demo Clearinghouse*****46*CLEARHOUSE01"))
            #expect(segments.contains("NM1*PR*2*Aetna*****PI*60054"))
            #expect(segments.contains("N4*Springfield*IL*627041234"))
            #expect(text.hasPrefix("ISA*00*          *00*          *ZZ*SPRINGFP01     *ZZ*CLEARHOUSE01   *"))

            // A rewrite (a resumed step, a resend) writes the same bytes; the next claim the next number.
            let again = try await services.router.submit(first)
            #expect(again == submitted)
            #expect(try String(contentsOf: file, encoding: .utf8) == text)
            let (_, second) = try await run(Self.bundle(identifier: "SFP-1002"), services)
            let secondSubmission = try JSONDecoder().decode(
                ClaimWorkflow.Submission.self,
                from: try #require(
                    try await services.engine.status(second.id).steps.first { $0.name == ClaimWorkflow.Step.submit }?
                        .output))
            // Numbers are unique across kinds: each claim's 270 took one before its 837P.
            #expect(Int(secondSubmission.correlationID)! > Int(submitted.correlationID)!)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { !$0.hasPrefix(".") }.sorted()
                    .map { String($0.prefix(4)) } == ["270-", "270-", "837P", "837P"])

            // pyx12 4.0.0 has no 005010X279A1 map (its 270/271 maps are 4010's): the 270 is read
            // back by RCM's strict reader above, the 837P validated by pyx12.
            if X12Validator.executable != nil {
                let result = try await X12Validator.validate(file)
                #expect(result.valid, "\(result.output)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aMemberThe271SaysIsNotCoveredIsStoppedBeforeSubmission(_ kind: TestDatabase) async throws {
        try await withX12Payer(kind) { services, outbox in
            let (id, stopped) = try await run(Self.bundle(identifier: "SFP-3001"), services, active: false)
            #expect(stopped.status == .completed)
            let stored = try await services.claims.claim(id)
            #expect(stored.outcome == .rejected)
            #expect(
                stored.claim.findings.contains {
                    $0.field == "Claim.insurance[0].coverage" && $0.message.contains("(271: inactive)")
                }, "\(stored.claim.findings)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasPrefix("837P") }
                    .isEmpty)
            #expect(try await services.denials.cases().map(\.category) == [.eligibility])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aClaimAn837PCannotCarryIsStoppedAtTheScrubWithTheFieldsToCorrect(_ kind: TestDatabase) async throws {
        try await withX12Payer(kind) { services, outbox in
            let (id, stopped) = try await run(Self.bundle(identifier: "SFP-2001", address: false), services)
            #expect(stopped.status == .completed)
            let stored = try await services.claims.claim(id)
            #expect(stored.outcome == .rejected)
            #expect(
                stored.claim.findings.contains {
                    $0.severity == .error && $0.field == "Patient.address"
                        && $0.message == "an 837P needs the person's address (N3, N4)"
                })
            #expect(!FileManager.default.fileExists(atPath: outbox.path))
        }
    }
}
