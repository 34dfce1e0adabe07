import Foundation
import Metrics

/// The HCX metrics of the contract (docs DESIGN.md §7), declared here and nowhere else:
/// `rcm_hcx_requests_total` (operation), `rcm_hcx_request_duration_seconds` (operation),
/// `rcm_hcx_errors_total` (operation, code) and `rcm_hcx_token_refreshes_total`.
///
/// Label values are bounded: operation labels are HCX paths as labels (`claim.submit`), codes are
/// HCX error codes, `transport`, or `http_<status>`.
public struct HCXMetrics: Sendable {
    public static let requestsTotal = "rcm_hcx_requests_total"
    public static let requestDurationSeconds = "rcm_hcx_request_duration_seconds"
    public static let errorsTotal = "rcm_hcx_errors_total"
    public static let tokenRefreshesTotal = "rcm_hcx_token_refreshes_total"

    private let factory: any MetricsFactory

    /// Metrics through `factory` (the process's bootstrapped factory by default).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Records one call (after its retries): counted, timed, and counted as an error when it failed.
    /// - Parameters:
    ///   - durationSeconds: wall-clock time of the call, in seconds.
    ///   - error: the failure, when it failed.
    public func recordCall(_ operation: HCXOperation, durationSeconds: Double, error: HCXClientError?) {
        let dimensions = [("operation", operation.label)]
        Counter(label: Self.requestsTotal, dimensions: dimensions, factory: factory).increment()
        Timer(
            label: Self.requestDurationSeconds, dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory
        )
        .recordNanoseconds(Int64(durationSeconds * 1_000_000_000))
        guard let error else { return }
        let code =
            switch error.kind {
            case .transport: "transport"
            case .rejected(let status, let code): code?.rawValue ?? "http_\(status)"
            }
        Counter(label: Self.errorsTotal, dimensions: dimensions + [("code", code)], factory: factory).increment()
    }

    /// Exports the metrics before any call, at 0 (Prometheus: "avoid missing metrics"): the token
    /// refreshes, and the calls and their durations of every operation.
    public func prime(operations: [HCXOperation] = HCXOperation.allCases) {
        Counter(label: Self.tokenRefreshesTotal, factory: factory).increment(by: 0)
        for operation in operations {
            let dimensions = [("operation", operation.label)]
            Counter(label: Self.requestsTotal, dimensions: dimensions, factory: factory).increment(by: 0)
            _ = Timer(
                label: Self.requestDurationSeconds, dimensions: dimensions, preferredDisplayUnit: .seconds,
                factory: factory)
        }
    }

    /// Records that a new gateway access token was obtained.
    public func recordTokenRefresh() {
        Counter(label: Self.tokenRefreshesTotal, factory: factory).increment()
    }
}
