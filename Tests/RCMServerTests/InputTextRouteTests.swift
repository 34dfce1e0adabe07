import Foundation
import Logging
import RCMCore
import Testing
import Vapor
import VaporTesting

@testable import RCMServer

/// Control characters are refused at the door (one rule for every path, query and JSON body),
/// nothing is written, and what the audit trail stores reads back exactly.
@Suite(.serialized) struct InputTextRouteTests {
    @Test func controlCharactersInPathsQueriesAndBodiesAreRefusedBeforeAnythingIsWritten() async throws {
        try await SecurityTests().withServerApp { app, _ in
            var biller = try await TestSecurity.headers(app, .biller)
            biller.contentType = .json
            let audit = try #require(app.security).audit
            let before = try await audit.entries(limit: 1000).count

            // An anonymous request for a claim id that is a NUL byte (it once broke `audit verify`).
            try await app.testing().test(.GET, "api/v1/claims/%00") { response async throws in
                #expect(response.status == .badRequest)
                #expect(response.headers.contentType?.description == "application/problem+json")
                let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                #expect(problem.errors?.map(\.field) == ["path[3]"])
            }
            try await app.testing().test(.GET, "api/v1/claims?payer=A%0AB", headers: biller) { response async throws in
                #expect(response.status == .badRequest)
                let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                #expect(problem.errors?.map(\.field) == ["query.payer"])
            }
            // A payment identifier with a line break would forge a log line; a NUL cut it short.
            for identifier in [#"CHQ-1\nlevel=info msg=forged"#, #"CHQ-2\u0000tail"#] {
                let body = #"{"payment_identifier":"\#(identifier)","amount":"10.00"}"#
                try await app.testing().test(.POST, "api/v1/payments", headers: biller, body: ByteBuffer(string: body))
                {
                    response async throws in
                    #expect(response.status == .unprocessableEntity)
                    let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                    #expect(problem.errors?.map(\.field) == ["payment_identifier"])
                    #expect(problem.errors?.first?.message.hasPrefix("contains the control character U+00") == true)
                }
            }
            #expect(try await PaymentModel.query(on: app.db).count() == 0)
            // The path and query were refused before authentication: no entry. The bodies were
            // refused in the route, after it: each is audited as the biller's failed attempt.
            let entries = try await audit.entries(limit: 1000)
            #expect(entries.count == before + 2)
            #expect(entries.prefix(2).map(\.status) == [422, 422])
            #expect(entries.prefix(2).map(\.outcome) == ["failure", "failure"])
            #expect(try await audit.verify() == .intact(entries: before + 2))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAuditTrailStoresWhatReadsBackAndBoundsWhatAnonymousCallersSend(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let trail = AuditTrail(database: app.db)
                let long = String(repeating: "x", count: 60_000)
                try await trail.append(
                    .init(
                        actor: "anonymous", action: "claim.read", resourceType: "claim", resourceID: "\u{0}",
                        outcome: "denied", status: 401, userAgent: long))
                try await trail.append(
                    .init(
                        actor: "user:a@rcm.test", action: "payment.post", resourceType: "payment",
                        resourceID: "A\nB\\C", outcome: "success", status: 201))
                #expect(try await trail.verify() == .intact(entries: 2))
                let entries = try await trail.entries(limit: 10)
                #expect(entries.map(\.resourceID) == ["A\\u{A}B\\\\C", "\\u{0}"])
                let agent = try #require(entries.last?.userAgent)
                #expect(agent == String(repeating: "x", count: 256) + "…[truncated: 60000 characters in all]")
            }
        }
    }

    @Test func noLogValueCanStartALineOfItsOwn() {
        let lines = CapturedLines()
        let logger = Logger(label: "rcm.test") { label in
            RedactingLogHandler(JSONLogHandler(label: label, level: .info, write: { lines.append($0) }))
        }
        logger.info("payment posted", metadata: ["payment": "CHQ-1\nlevel=info msg=forged"])
        let plainLines = CapturedLines()
        let plain = Logger(label: "rcm.test") { _ in
            RedactingLogHandler(StreamCapture(write: { plainLines.append($0) }))
        }
        plain.info("payment \("X\nforged line")", metadata: ["payment": "CHQ-1\nforged"])
        #expect(lines.all.count == 1)
        #expect(lines.all[0].contains(#"CHQ-1\\u{A}level=info"#))
        let text = plainLines.all.joined()
        #expect(!text.contains("\n"), "\(text)")
        #expect(text.contains("payment X\\u{A}forged line"))
    }
}

/// A log handler that writes `message metadata` without a line break, to see what reaches a text log.
private struct StreamCapture: LogHandler {
    let write: @Sendable (String) -> Void
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        write("\(event.message) \(event.metadata?.map { "\($0)=\($1)" }.joined(separator: " ") ?? "")")
    }
}
