import Foundation
import HCX
import Prometheus
import RCMCore
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import RCMServer
@testable import RevenueCycle
@testable import Workflow

/// `GET /metrics` serves the Prometheus text exposition, with request metrics by route template.
@Suite(.serialized) struct MetricsTests {
    @Test func requestsAreCountedByRouteTemplateAndExported() async throws {
        MetricsExport.bootstrap()
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.testing().test(.GET, "health/live") { response async throws in
                    #expect(response.status == .ok)
                }
                try await app.testing().test(.GET, "no/such/route/12345") { response async throws in
                    #expect(response.status == .notFound)
                }
                try await app.testing().test(.GET, "metrics") { response async throws in
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType?.description.hasPrefix("text/plain") == true)
                    let text = response.body.string
                    #expect(text.contains(#"rcm_requests_total{method="GET",route="/health/live",status="200"}"#))
                    #expect(text.contains(#"rcm_request_duration_seconds_bucket{method="GET",route="/health/live""#))
                    // An unmatched path is one label value, never the raw path.
                    #expect(text.contains(#"route="unmatched""#))
                    #expect(!text.contains("12345"))
                    #expect(text.contains(#"rcm_errors_total{type="client",route="unmatched"}"#))
                }
            }
        }
    }

    /// Before any traffic, every metric whose label values are known is exported at 0 (a fresh
    /// `rcm serve` exported 2 of the 15 contract names, issue 19).
    @Test func contractMetricsAreExportedAtZeroBeforeAnyTraffic() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        HCXMetrics(factory: factory).prime()
        RevenueCycleMetrics(factory: factory).prime(payers: ["GICOFINDIA"], currencies: [.inr])
        WorkflowMetrics(factory: factory).prime(definitions: ["claim"])
        let text = registry.emitToString()
        for line in [
            "rcm_hcx_token_refreshes_total 0", #"rcm_hcx_requests_total{operation="claim.submit"} 0"#,
            #"rcm_hcx_request_duration_seconds_count{operation="coverageeligibility.check"} 0"#,
            #"rcm_claims_submitted_total{payer="GICOFINDIA"} 0"#, #"rcm_claims_approved_total{payer="GICOFINDIA"} 0"#,
            #"rcm_claims_denied_total{payer="GICOFINDIA",category="eligibility"} 0"#,
            #"rcm_revenue_collected_total{currency="INR"} 0"#, #"rcm_workflows_completed_total{workflow="claim"} 0"#,
            #"rcm_workflows_failed_total{workflow="claim"} 0"#, #"rcm_active_workflows{workflow="claim"} 0.0"#,
        ] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
        for operation in HCXOperation.allCases {
            #expect(text.contains(#"rcm_hcx_requests_total{operation="\#(operation.label)"} 0"#))
        }
        // Through the process's registry, with the routes of an application.
        MetricsExport.bootstrap()
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                MetricsExport.primeContractMetrics(app, payers: ["PRIME-TEST"], workflowDefinitions: ["prime-test"])
                let exposition = MetricsExport.exposition()
                #expect(exposition.contains(#"rcm_request_duration_seconds_count{method="GET",route="/metrics"}"#))
                #expect(exposition.contains(#"rcm_claims_submitted_total{payer="PRIME-TEST"} 0"#))
                #expect(exposition.contains(#"rcm_active_workflows{workflow="prime-test"} 0"#))
                #expect(exposition.contains("rcm_db_errors_total"))
                #expect(exposition.contains("rcm_db_connections_active"))
            }
        }
    }

    @Test func revenueIsCountedInMajorUnitsWithoutLosingCents() throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = RevenueCycleMetrics(factory: PrometheusMetricsFactory(registry: registry))
        metrics.recordCollected(try Money(Decimal(string: "1865.70")!, .inr))
        metrics.recordCollected(try Money(Decimal(string: "0.30")!, .inr))
        #expect(registry.emitToString().contains(#"rcm_revenue_collected_total{currency="INR"} 1866.0"#))
    }
}

/// `monitoring/metrics-contract.txt` (what dashboards and alerts may use) and the metrics the
/// service declares and exports are the same set, with the same types and labels.
@Suite(.serialized) struct MetricsContractTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// name → (type, label names) from the contract file.
    static func contract() throws -> [String: (type: String, labels: Set<String>)] {
        let text = try String(
            contentsOf: root.appendingPathComponent("monitoring/metrics-contract.txt"), encoding: .utf8)
        var entries: [String: (type: String, labels: Set<String>)] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count == 3 else { continue }
            entries[fields[0]] = (
                fields[1], fields[2] == "-" ? [] : Set(fields[2].split(separator: ",").map(String.init))
            )
        }
        return entries
    }

    @Test func theContractNamesEveryMetricTheSourcesDeclareOnce() throws {
        let contract = try Self.contract()
        #expect(contract.count == 18)
        var declared: [String] = []
        let sources = Self.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            let regex = try Regex(#""(rcm_[a-z_]+)""#)
            declared += text.matches(of: regex).map { String(text[$0.range].dropFirst().dropLast()) }
        }
        #expect(declared.count == Set(declared).count, "a metric name is written twice: \(declared.sorted())")
        #expect(Set(declared) == Set(contract.keys))
    }

    @Test func whatIsExportedHasTheContractsTypesAndLabels() async throws {
        MetricsExport.bootstrap()
        let contract = try Self.contract()
        // Touch the database through a store (a claim that does not exist: not a database error).
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                await #expect(throws: ClaimNotFound.self) {
                    _ = try await FluentClaimRepository(database: app.db).claim(ClaimID())
                }
            }
        }
        let text = MetricsExport.exposition()
        var types: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE rcm_") {
            let fields = line.split(separator: " ")
            types[String(fields[2])] = String(fields[3])
        }
        for (name, type) in types {
            #expect(contract[name]?.type == type, "\(name) is exported as a \(type)")
        }
        for name in ["rcm_db_connections_active", "rcm_db_errors_total", "rcm_db_query_duration_seconds"] {
            #expect(types[name] != nil, "\(name) is not exported")
        }
        #expect(text.contains(#"rcm_db_query_duration_seconds_count{operation="claims.claim"}"#))
        // Other suites run at the same time: only the presence of these two is certain.
        #expect(text.contains("\nrcm_db_errors_total "))
        #expect(text.contains("\nrcm_db_connections_active "))
        // Label names of every exported series.
        let series = try Regex(#"^(rcm_[a-z_]+?)(_bucket|_sum|_count)?(\{([^}]*)\})? "#)
        for line in text.split(separator: "\n") where line.hasPrefix("rcm_") {
            guard let match = String(line).firstMatch(of: series) else { continue }
            let name = String(match.output[1].substring ?? "")
            let base = contract[name] != nil ? name : name + String(match.output[2].substring ?? "")
            guard let entry = contract[base] else {
                Issue.record("\(line) is not in the contract")
                continue
            }
            let labels = Set(
                (match.output[4].substring ?? "").split(separator: ",").compactMap { pair in
                    pair.split(separator: "=").first.map(String.init)
                }
            ).subtracting(["le"])
            #expect(labels == entry.labels, "\(line)")
        }
    }

    /// `promtool` (Debian's `prometheus` package) named by `RCM_PROMTOOL`; `.ci/run` sets it.
    static let promtool = ProcessInfo.processInfo.environment["RCM_PROMTOOL"].flatMap { $0.isEmpty ? nil : $0 }

    @Test(.enabled(if: promtool != nil))
    func promtoolAcceptsTheExpositionAfterAWorkload() async throws {
        MetricsExport.bootstrap()
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                try await app.testing().test(.GET, "health/ready") { response async throws in
                    #expect(response.status == .ok)
                }
                try await app.testing().test(.GET, "api/v1/audit") { response async throws in
                    #expect(response.status == .unauthorized)
                }
            }
        }
        let checked = try await ChildProcess.run(
            URL(fileURLWithPath: Self.promtool!), arguments: ["check", "metrics"],
            input: Data(MetricsExport.exposition().utf8))
        let text = String(decoding: checked.stdout + checked.stderr, as: UTF8.self)
        #expect(checked.status == 0, "\(text)")
    }
}
