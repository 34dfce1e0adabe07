import CoreMetrics
import HCX
import Prometheus
import RevenueCycle
import Workflow

/// swift-prometheus's factory, limited to the metrics contract: each metric of the contract gets
/// its `# HELP` line (swift-prometheus's own factory registers every metric without help text,
/// which `promtool check metrics` rejects), and metrics outside the contract (Vapor's
/// `http_requests_total` from the embedded sandbox's server, libraries' own) are not exported, so
/// `/metrics` holds exactly the contract. Help texts are declared once, here, by the metric name
/// constants; a name registered with another help text would trap, so nothing else registers them.
struct DocumentedMetricsFactory: MetricsFactory {
    let base: PrometheusMetricsFactory

    /// Help text per metric (docs DESIGN.md §7; docs/operating.md "Metrics").
    static let help: [String: String] = [
        RequestMetricsMiddleware.requestsTotal: "HTTP requests answered, by method, route template and status.",
        RequestMetricsMiddleware.requestDurationSeconds:
            "HTTP request duration in seconds, by method and route template.",
        RequestMetricsMiddleware.errorsTotal:
            "HTTP requests that ended in an error, by type (client, server) and route.",
        WorkflowMetrics.activeWorkflows: "Workflow runs in progress, by workflow definition.",
        WorkflowMetrics.completedTotal: "Workflow runs completed, by workflow definition.",
        WorkflowMetrics.failedTotal: "Workflow runs failed, by workflow definition.",
        WorkflowMetrics.stepDurationSeconds:
            "Duration of one attempt of a workflow step in seconds, by workflow and step.",
        HCXMetrics.requestsTotal: "HCX API calls made, by operation.",
        HCXMetrics.requestDurationSeconds: "HCX API call duration in seconds, by operation.",
        HCXMetrics.errorsTotal: "HCX API calls that failed, by operation and HCX error code.",
        HCXMetrics.tokenRefreshesTotal: "HCX gateway access tokens obtained.",
        RevenueCycleMetrics.claimsSubmittedTotal: "Claims submitted to payers, by payer.",
        RevenueCycleMetrics.claimsApprovedTotal: "Claims approved in full or in part, by payer.",
        RevenueCycleMetrics.claimsDeniedTotal: "Claims denied, by payer and denial category.",
        RevenueCycleMetrics.revenueCollectedTotal: "Payments posted, in major units of the currency (e.g. rupees).",
        DatabaseMetrics.connectionsActive: "Database store operations of this process holding a connection now.",
        DatabaseMetrics.queryDurationSeconds: "Database store operation duration in seconds, by operation.",
        DatabaseMetrics.errorsTotal: "Database store operations that failed with a database error.",
    ]

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        guard let help = Self.help[label] else { return NOOPMetricsHandler.instance }
        return base.registry.makeCounter(name: label, labels: dimensions, help: help)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        guard let help = Self.help[label] else { return NOOPMetricsHandler.instance }
        return base.registry.makeCounter(name: label, labels: dimensions, help: help)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard let help = Self.help[label] else { return NOOPMetricsHandler.instance }
        guard aggregate else { return base.registry.makeGauge(name: label, labels: dimensions, help: help) }
        return base.registry.makeValueHistogram(
            name: label, labels: dimensions,
            buckets: base.valueHistogramBuckets[label] ?? base.defaultValueHistogramBuckets, help: help)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        guard let help = Self.help[label] else { return NOOPMetricsHandler.instance }
        return base.registry.makeGauge(name: label, labels: dimensions, help: help)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        guard let help = Self.help[label] else { return NOOPMetricsHandler.instance }
        return base.registry.makeDurationHistogram(
            name: label, labels: dimensions,
            buckets: base.durationHistogramBuckets[label] ?? base.defaultDurationHistogramBuckets, help: help)
    }

    // Destroying a no-op handler is a no-op in the base factory too (it is not a Prometheus collector).
    func destroyCounter(_ handler: any CounterHandler) { base.destroyCounter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        base.destroyFloatingPointCounter(handler)
    }
    func destroyRecorder(_ handler: any RecorderHandler) { base.destroyRecorder(handler) }
    func destroyMeter(_ handler: any MeterHandler) { base.destroyMeter(handler) }
    func destroyTimer(_ handler: any TimerHandler) { base.destroyTimer(handler) }
}
