import Foundation
import Metrics
import Prometheus

/// The process's metrics, exported for Prometheus: swift-metrics is bootstrapped once with a
/// swift-prometheus registry, whose text exposition `GET /metrics` serves. Metric names and labels
/// are the contract of docs DESIGN.md §7; each is declared once, next to what it measures
/// (``HCX/HCXMetrics``, ``Workflow/WorkflowMetrics``, ``RequestMetricsMiddleware``).
///
/// Histogram buckets are chosen per metric: HTTP requests 5 ms – 10 s, HCX round trips up to
/// 60 s, workflow steps up to 5 minutes.
public enum MetricsExport {
    private static let registryOnce: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            "rcm_hcx_request_duration_seconds": [
                .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
            ],
            "rcm_workflow_step_duration_seconds": [
                .milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5), .seconds(30),
                .seconds(60), .seconds(300),
            ],
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Bootstraps swift-metrics with the Prometheus registry (once per process) and returns it.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry { registryOnce }

    /// The text exposition format (version 0.0.4) of everything recorded so far.
    public static func exposition() -> String { registryOnce.emitToString() }
}
