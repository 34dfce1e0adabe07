import Foundation
import HCX
import Metrics
import Prometheus
import RCMCore
import RevenueCycle
import Vapor
import Workflow

/// The process's metrics, exported for Prometheus: swift-metrics is bootstrapped once with a
/// swift-prometheus registry, whose text exposition `GET /metrics` serves. Metric names and labels
/// are the contract of docs DESIGN.md §7; each is declared once, next to what it measures
/// (``HCX/HCXMetrics``, ``Workflow/WorkflowMetrics``, ``RequestMetricsMiddleware``,
/// ``DatabaseMetrics``).
///
/// Histogram buckets are chosen per metric: HTTP requests 5 ms – 10 s, HCX round trips up to
/// 60 s, database operations 0.5 ms – 5 s, workflow steps up to 5 minutes.
public enum MetricsExport {
    private static let registryOnce: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            HCXMetrics.requestDurationSeconds: [
                .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
            ],
            DatabaseMetrics.queryDurationSeconds: [
                .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                .seconds(1), .seconds(5),
            ],
            WorkflowMetrics.stepDurationSeconds: [
                .milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5), .seconds(30),
                .seconds(60), .seconds(300),
            ],
        ]
        MetricsSystem.bootstrap(DocumentedMetricsFactory(base: factory))
        DatabaseMetrics.start()
        return registry
    }()

    /// Bootstraps swift-metrics with the Prometheus registry (once per process) and returns it.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry { registryOnce }

    /// Exports every contract metric whose label values are known at start, at 0, so that a
    /// fresh `rcm serve` is scraped with all of them rather than "no data" (Prometheus,
    /// "Instrumentation: avoid missing metrics"): the database's unlabelled ones, HCX calls per
    /// operation, token refreshes, claims per configured payer (denials per category too), revenue
    /// in INR, workflows per definition, and request durations per registered route.
    public static func primeContractMetrics(_ app: Application, payers: [String], workflowDefinitions: [String]) {
        bootstrap()
        HCXMetrics().prime()
        RevenueCycleMetrics().prime(payers: payers, currencies: [.inr])
        WorkflowMetrics().prime(definitions: workflowDefinitions)
        RequestMetricsMiddleware.prime(app.routes.all)
    }

    /// The text exposition format (version 0.0.4) of everything recorded so far.
    public static func exposition() -> String { registryOnce.emitToString() }
}
