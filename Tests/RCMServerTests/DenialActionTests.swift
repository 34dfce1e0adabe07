import FHIR
import Foundation
import RCMCore
import Testing
import Vapor
import VaporTesting

@testable import RCMServer
@testable import rcm

/// Appeal, write off and resubmit claims from the denial work queue, over HTTP and the CLI.
@Suite(.serialized) struct DenialActionTests {
    @Test func billersWorkTheQueueToEmpty() async throws {
        try await ClaimRouteTests.afterTheSampleRun { app, readOnly, configuration in
            let biller = try await TestSecurity.headers(app, .biller, email: "biller@clinic.test")
            let manager = try await TestSecurity.headers(app, .billingManager, email: "manager@clinic.test")
            func queue() async throws -> [DenialDTO] {
                try await ClaimRouteTests.get(app, "api/v1/denials", readOnly, as: [DenialDTO].self)
            }
            let start = try await queue()
            #expect(start.map(\.identifier) == ["ENC-2026-000204", "ENC-2026-000205"])
            let (denied, lapsed) = (start[0].claimID, start[1].claimID)
            func post(_ path: String, _ headers: HTTPHeaders, _ body: String) async throws -> (HTTPStatus, String) {
                var result: (HTTPStatus, String) = (.ok, "")
                var headers = headers
                headers.contentType = .json
                try await app.testing().test(
                    .POST, path, headers: headers, body: ByteBuffer(string: body),
                    afterResponse: { result = ($0.status, $0.body.string) })
                return result
            }

            // The CLI appeals the denial: recorded, and the claim stays in the queue.
            let environment = [
                "DATABASE_URL": try #require(CommandLineTests.databaseURL(configuration)), "USER": "ops",
            ]
            let appealed = try await CommandLineTests.run(
                ["denials", "appeal", denied, "--reason", "IV sets were medically necessary"], environment: environment)
            #expect(appealed.status == 0, "\(appealed.stderr)")
            #expect(appealed.stdout.contains("\"actor\" : \"cli:ops\""))
            #expect(try await queue().count == 2)

            // Write-offs are the billing manager's; a reason is required; once only.
            #expect(try await post("api/v1/denials/\(denied)/write-off", biller, #"{"reason":"x"}"#).0 == .forbidden)
            let noReason = try await post("api/v1/denials/\(denied)/write-off", manager, #"{"reason":"  "}"#)
            #expect(noReason.0 == .unprocessableEntity)
            #expect(noReason.1.contains("reason: give the reason"))
            let written = try await post(
                "api/v1/denials/\(denied)/write-off", manager, #"{"reason":"small balance, not worth an appeal"}"#)
            #expect(written.0 == .ok)
            let resolution = try JSONDecoder.iso.decode(DenialResolutionDTO.self, from: Data(written.1.utf8))
            #expect(resolution.action == "write_off")
            #expect(resolution.amount == "1426.50")
            #expect(resolution.actor == "user:manager@clinic.test")
            let again = try await post("api/v1/denials/\(denied)/write-off", manager, #"{"reason":"again"}"#)
            #expect(again.0 == .conflict)
            #expect(again.1.contains("already closed by write_off"))
            #expect(try await queue().map(\.identifier) == ["ENC-2026-000205"])

            // A paid claim is not in the queue; an unknown claim is 404.
            let paid = try await ClaimRouteTests.get(app, "api/v1/claims?outcome=paid", readOnly, as: ClaimPageDTO.self)
            let notDenied = try await post("api/v1/denials/\(paid.claims[0].id)/appeal", biller, #"{"reason":"x"}"#)
            #expect(notDenied.0 == .conflict)
            #expect(try await post("api/v1/denials/\(UUID())/appeal", biller, #"{"reason":"x"}"#).0 == .notFound)

            // A correction that cannot be taken in is refused with its findings; nothing changes.
            let bad = try await post(
                "api/v1/denials/\(lapsed)/resubmit", biller,
                #"{"reason":"member id corrected","correction":{"encounter_id":"ENC-2026-000205"}}"#)
            #expect(bad.0 == .unprocessableEntity)
            #expect(bad.1.contains("correction: patient: is required"))
            #expect(try await queue().count == 1)

            // Resubmitted as it was once the cover is fixed: a new claim that references the old one.
            let resubmitted = try await post(
                "api/v1/denials/\(lapsed)/resubmit", biller, #"{"reason":"policy reinstated by the payer"}"#)
            #expect(resubmitted.0 == .accepted)
            let replacement = try JSONDecoder.iso.decode(DenialResolutionDTO.self, from: Data(resubmitted.1.utf8))
            let newID = try #require(replacement.replacementClaimID)
            let detail = try await ClaimRouteTests.get(app, "api/v1/claims/\(newID)", readOnly, as: ClaimDetailDTO.self)
            #expect(detail.claim.identifier == "ENC-2026-000205-R1")
            #expect(detail.claim.outcome == "pending")
            #expect(detail.workflow?.status == "PENDING")
            let stored = try #require(try await ClaimModel.find(UUID(uuidString: newID), on: app.db))
            let bundle = try ClaimBundle(json: try JSONDecoder().decode(JSONValue.self, from: Data(stored.bundle.utf8)))
            #expect(bundle.claim.related?.first?.relationship?.coding?.first?.code == "prior")
            let priorValue: JSONValue? = bundle.claimResource["related"].flatMap { related -> JSONValue? in
                guard case .array(let list) = related else { return nil }
                return list.first?["claim"]?["identifier"]?["value"]
            }
            #expect(priorValue?.stringValue == "ENC-2026-000205")
            #expect(try await queue().isEmpty)

            // Every action is in the audit trail with what changed.
            let entries = try await AuditTrail(database: app.db).entries()
            let actions = entries.map(\.action)
            #expect(actions.contains("denial.write-off"))
            #expect(actions.contains("denial.resubmit"))
            // The command line's actions too, as cli:<user>.
            #expect(
                entries.contains { $0.action == "denial.appeal" && $0.actor == "cli:ops" && $0.resourceID == denied })
            #expect(try await AuditTrail(database: app.db).verify() == .intact(entries: entries.count))
        }
    }
}

extension JSONDecoder {
    static var iso: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
