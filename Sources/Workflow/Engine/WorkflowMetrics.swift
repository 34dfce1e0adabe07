import Foundation
import Metrics

/// The workflow metrics of the contract (docs DESIGN.md §7), declared here and nowhere else:
/// `rcm_workflows_completed_total` (workflow), `rcm_workflows_failed_total` (workflow),
/// `rcm_workflow_step_duration_seconds` (workflow, step) and `rcm_active_workflows` (workflow).
/// Label values are definition and step names, never run ids.
public struct WorkflowMetrics: Sendable {
    public static let completedTotal = "rcm_workflows_completed_total"
    public static let failedTotal = "rcm_workflows_failed_total"
    public static let stepDurationSeconds = "rcm_workflow_step_duration_seconds"
    public static let activeWorkflows = "rcm_active_workflows"

    private let factory: any MetricsFactory

    /// Metrics through `factory` (the process's bootstrapped factory by default).
    public init(factory: any MetricsFactory = MetricsSystem.factory) { self.factory = factory }

    /// Exports the workflow counters and the active gauge of each definition at 0 before any run
    /// (Prometheus: "avoid missing metrics").
    public func prime(definitions: [String]) {
        for name in definitions {
            Counter(label: Self.completedTotal, dimensions: [("workflow", name)], factory: factory).increment(by: 0)
            Counter(label: Self.failedTotal, dimensions: [("workflow", name)], factory: factory).increment(by: 0)
        }
        recordActive([:], definitions: definitions)
    }

    func recordCompleted(_ workflow: String) {
        Counter(label: Self.completedTotal, dimensions: [("workflow", workflow)], factory: factory).increment()
    }

    func recordFailed(_ workflow: String) {
        Counter(label: Self.failedTotal, dimensions: [("workflow", workflow)], factory: factory).increment()
    }

    /// One attempt of a step's work, in seconds.
    func recordStep(_ workflow: String, step: String, seconds: Double) {
        Timer(
            label: Self.stepDurationSeconds, dimensions: [("workflow", workflow), ("step", step)],
            preferredDisplayUnit: .seconds, factory: factory
        )
        .recordNanoseconds(Int64(seconds * 1_000_000_000))
    }

    /// Runs `IN_PROGRESS` per definition, as last counted in the store.
    func recordActive(_ counts: [String: Int], definitions: [String]) {
        for name in definitions {
            Gauge(label: Self.activeWorkflows, dimensions: [("workflow", name)], factory: factory)
                .record(counts[name] ?? 0)
        }
    }
}
