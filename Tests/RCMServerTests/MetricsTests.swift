import Foundation
import Prometheus
import RCMCore
import Testing
import Vapor
import VaporTesting

@testable import RCMServer
@testable import RevenueCycle

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

    @Test func revenueIsCountedInMajorUnitsWithoutLosingCents() throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = RevenueCycleMetrics(factory: PrometheusMetricsFactory(registry: registry))
        metrics.recordCollected(try Money(Decimal(string: "1865.70")!, .inr))
        metrics.recordCollected(try Money(Decimal(string: "0.30")!, .inr))
        #expect(registry.emitToString().contains(#"rcm_revenue_collected_total{currency="INR"} 1866.0"#))
    }
}
