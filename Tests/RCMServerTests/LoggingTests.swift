import Foundation
import HCXSandbox
import Logging
import RevenueCycle
import Testing
import Vapor
import VaporTesting

@testable import RCMServer
@testable import rcm

/// Request ids, JSON log lines, and no patient data in any log line.
@Suite(.serialized) struct LoggingTests {
    @Test func theRequestIDIsTakenOrCreatedAndAlwaysReturned() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.testing().test(.GET, "health/live", headers: ["X-Request-ID": "visit-42.a:b_c"]) {
                    response async throws in
                    #expect(response.headers.first(name: "X-Request-ID") == "visit-42.a:b_c")
                }
                try await app.testing().test(.GET, "health/live") { response async throws in
                    #expect(UUID(uuidString: response.headers.first(name: "X-Request-ID") ?? "") != nil)
                }
                // Also on errors.
                try await app.testing().test(.GET, "no/such/route", headers: ["X-Request-ID": "lost-1"]) {
                    response async throws in
                    #expect(response.status == .notFound)
                    #expect(response.headers.first(name: "X-Request-ID") == "lost-1")
                }
                try await app.testing().test(.GET, "health/live", headers: ["X-Request-ID": "two words\n"]) {
                    response async throws in
                    #expect(response.status == .badRequest)
                    #expect(response.headers.contentType?.description == "application/problem+json")
                    #expect(UUID(uuidString: response.headers.first(name: "X-Request-ID") ?? "") != nil)
                }
            }
        }
    }

    @Test func jsonLogsAreOneObjectPerLine() throws {
        let lines = CapturedLines()
        var logger = Logger(label: "rcm.test") { label in
            JSONLogHandler(label: label, level: .info, write: { lines.append($0) })
        }
        logger[metadataKey: "request-id"] = "r-1"
        logger.info("claim submitted", metadata: ["claim_id": "c-1", "steps": ["a", "b"]])
        logger.debug("not written")
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix("}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "rcm.test")
        #expect(object["message"] as? String == "claim submitted")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["request-id"] as? String == "r-1")
        #expect(metadata["claim_id"] as? String == "c-1")
        #expect(metadata["steps"] as? [String] == ["a", "b"])
        #expect((object["timestamp"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func noPatientDataReachesAnyLogLine() async throws {
        let captured = CapturedLog()
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                // The handler wrapping rcm installs for every logger (RuntimeBootstrap), at the most verbose level.
                app.logger = Logger(label: "capture") { _ in RedactingLogHandler(captured) }
                app.logger.logLevel = .trace
                try await SchemaMigrations.migrateEmbeddedDatabase(app, configuration)
                let data = try Data(contentsOf: Samples.own("encounters-clinic-week.json"))
                let report = try await ClaimRuntime.run(app: app, configuration: configuration, sandboxRules: .default)
                {
                    runtime in
                    try await runtime.services.processor.process(
                        [ClaimInput(name: "encounters-clinic-week.json", data: data)],
                        waitSeconds: configuration.adjudicationTimeoutSeconds)
                }
                #expect(report.claims.count == 5)
            }
        }
        let logs = captured.text
        #expect(logs.contains("claim submitted"), "the run logged nothing: the scan would prove nothing")
        // Names, birth dates, member ids and medical record numbers of the sample patients.
        for secret in [
            "Meera Nair", "1988-04-12", "MEM-55012", "MRN-100611", "Arjun Rao", "1996-09-03", "2XX8971",
            "Leela Pillai", "MEM-LAPSED", "MRN-100615",
        ] {
            #expect(!logs.contains(secret), "\(secret) appears in the logs")
        }
    }
}

final class CapturedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
