import Foundation
import RCMCore
import Testing
import Vapor
import VaporTesting

@testable import RCMServer
@testable import rcm

/// `POST /api/v1/encounters`: one encounter or claim bundle in, its claim workflow queued.
@Suite(.serialized) struct EncounterRouteTests {
    static let encounter = """
        {"encounter_id": "ENC-API-1", "patient": {"id": "MRN-9"}, "coverage": {"payer": "DEMO", "member_id": "MEM-55012"},
         "provider": {"id": "HFR-DEMO-0042"}, "service_start": "2026-11-20", "diagnoses": [{"code": "J02.9"}],
         "services": [{"system": "cpt", "code": "99213", "unit_price": "800.00"}]}
        """

    @Test func encountersAndBundlesAreTakenInOnceAndQueued() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let services = try ClaimServices(
                    app: app, configuration: configuration,
                    hcx: try GatewayConnection.connectionOrUnconfigured(configuration, app: app), codeSets: false)
                try configureWorkflowRoutes(app, services: services)
                var headers = try await TestSecurity.headers(app, .biller)
                headers.contentType = .json
                func post(_ body: String) async throws -> (HTTPStatus, String) {
                    var result: (HTTPStatus, String) = (.ok, "")
                    try await app.testing().test(
                        .POST, "api/v1/encounters", headers: headers, body: ByteBuffer(string: body),
                        afterResponse: { result = ($0.status, $0.body.string) })
                    return result
                }
                struct Accepted: Decodable {
                    let claimID, workflowID, identifier, workflowStatus, billed, currency: String
                    let duplicate: Bool
                }
                let first = try await post(Self.encounter)
                #expect(first.0 == .accepted, "\(first.1)")
                let accepted = try JSONDecoder().decode(Accepted.self, from: Data(first.1.utf8))
                #expect(accepted.identifier == "ENC-API-1")
                #expect(accepted.billed == "800.00")
                #expect(accepted.workflowStatus == "PENDING")
                #expect(accepted.workflowID == "claim-\(accepted.claimID)")
                #expect(!accepted.duplicate)
                // The same input again: the same claim, nothing new.
                let again = try JSONDecoder().decode(Accepted.self, from: Data(try await post(Self.encounter).1.utf8))
                #expect(again.claimID == accepted.claimID)
                #expect(again.duplicate)
                #expect(try await ClaimModel.query(on: app.db).count() == 1)
                #expect(try await WorkflowStateModel.query(on: app.db).count() == 1)

                // An HCX claim bundle is taken in the same way.
                let bundle = String(
                    decoding: try Data(contentsOf: Samples.own("claim-approved-outpatient-visit.json")), as: UTF8.self)
                let fromBundle = try await post(bundle)
                #expect(fromBundle.0 == .accepted)
                #expect(fromBundle.1.contains("CLM-2026-000101"))

                // Field-level findings, and nothing written.
                let bad = try await post(Self.encounter.replacingOccurrences(of: "\"800.00\"", with: "\"-1\""))
                #expect(bad.0 == .unprocessableEntity)
                let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(bad.1.utf8))
                #expect(problem.errors?.map(\.field) == ["services[0].unit_price"])
                #expect(try await post("not json").0 == .badRequest)
                #expect(try await post("[\(Self.encounter)]").0 == .unprocessableEntity)
                #expect(try await ClaimModel.query(on: app.db).count() == 2)
            }
        }
    }

    /// A FHIR clinical bundle is priced by the chargemaster (`RCM_CHARGEMASTER`) and taken in when it
    /// holds one Encounter; one with several is refused whole (nothing written), as is any without a
    /// chargemaster.
    @Test func aClinicalBundleWithOneEncounterIsPricedAndTakenIn() async throws {
        let sample =
            try JSONSerialization.jsonObject(
                with: try Data(contentsOf: Samples.own("clinical-bundle-us-core.json"))) as! [String: Any]
        let entries = sample["entry"] as! [[String: Any]]
        // The first visit alone: without the second Encounter and what refers to it.
        let second = "3f7a2c10-5b6e-4d8f-9a21-7c4e0b9d1a06"
        var firstVisit = sample
        firstVisit["entry"] = entries.filter { entry in
            let resource = entry["resource"] as! [String: Any]
            let encounter = (resource["encounter"] as? [String: Any])?["reference"] as? String
            return resource["id"] as? String != second && encounter != "urn:uuid:\(second)"
        }
        let both = String(decoding: try JSONSerialization.data(withJSONObject: sample), as: UTF8.self)
        let one = String(decoding: try JSONSerialization.data(withJSONObject: firstVisit), as: UTF8.self)
        let prices = try Chargemaster(
            csv: String(
                contentsOf: Samples.repositoryRoot.appendingPathComponent("samples/chargemaster.csv"), encoding: .utf8))
        for chargemaster in [prices, nil] {
            try await TestDatabase.sqlite.withFreshDatabase { configuration in
                try await TestDatabase.withApp(configuration) { app in
                    try await app.autoMigrate()
                    let services = try ClaimServices(
                        app: app, configuration: configuration,
                        hcx: try GatewayConnection.connectionOrUnconfigured(configuration, app: app), codeSets: false)
                    try configureWorkflowRoutes(app, services: services, chargemaster: chargemaster)
                    var headers = try await TestSecurity.headers(app, .biller)
                    headers.contentType = .json
                    func post(_ body: String) async throws -> (HTTPStatus, String) {
                        var result: (HTTPStatus, String) = (.ok, "")
                        try await app.testing().test(
                            .POST, "api/v1/encounters", headers: headers, body: ByteBuffer(string: body),
                            afterResponse: { result = ($0.status, $0.body.string) })
                        return result
                    }
                    let refused = try await post(both)
                    #expect(refused.0 == .unprocessableEntity)
                    #expect(refused.1.contains("the clinical bundle holds 2 encounters"), "\(refused.1)")
                    let taken = try await post(one)
                    if chargemaster != nil {
                        #expect(taken.0 == .accepted, "\(taken.1)")
                        #expect(taken.1.contains(#""billed":"2100.00""#), "\(taken.1)")
                        #expect(try await ClaimModel.query(on: app.db).count() == 1)
                    } else {
                        #expect(taken.0 == .unprocessableEntity, "\(taken.1)")
                        #expect(try await ClaimModel.query(on: app.db).count() == 0)
                    }
                }
            }
        }
    }
}
