import FluentKit
import Foundation
import Metrics
import NIOConcurrencyHelpers

/// The database metrics of docs DESIGN.md §7, recorded around each store operation (the Fluent
/// stores wrap every method in ``measure(_:_:)``):
/// - `rcm_db_query_duration_seconds` (histogram; `operation` = `<table>.<method>`, e.g.
///   `claims.intake`, `workflow_state.claimNext`): wall time of the operation, its
///   transaction included, in seconds (buckets 0.5 ms – 5 s);
/// - `rcm_db_connections_active` (gauge): operations of this process holding a database
///   connection right now (each holds one from the pool while it runs);
/// - `rcm_db_errors_total` (counter): operations that failed with a database error (a driver's
///   `DatabaseError`: PostgreSQL or SQLite errors, lost connections, constraint failures). Domain
///   answers such as "no such claim" are not database errors.
public enum DatabaseMetrics {
    public static let connectionsActive = "rcm_db_connections_active"
    public static let queryDurationSeconds = "rcm_db_query_duration_seconds"
    public static let errorsTotal = "rcm_db_errors_total"

    private static let inFlight = NIOLockedValueBox(0)

    /// The handles made so far, one per operation: making one asks the registry (a lock, a
    /// lookup by name and sorted labels) — about 5 % of `rcm process`'s CPU when made per call.
    private static let handles = NIOLockedValueBox(Handles())

    private struct Handles {
        var connections: Gauge?
        var durations: [String: Timer] = [:]
    }

    /// Publishes the metrics at zero, so that the first error is counted as an increase; handles
    /// made before (through another metrics system) are made again.
    public static func start() {
        handles.withLockedValue { $0 = Handles() }
        connections().record(inFlight.withLockedValue { $0 })
        Counter(label: errorsTotal).increment(by: 0)
    }

    private static func connections() -> Gauge {
        handles.withLockedValue { handles in
            if let gauge = handles.connections { return gauge }
            let gauge = Gauge(label: connectionsActive)
            handles.connections = gauge
            return gauge
        }
    }

    private static func duration(_ operation: String) -> Timer {
        handles.withLockedValue { handles in
            if let timer = handles.durations[operation] { return timer }
            let timer = Timer(
                label: queryDurationSeconds, dimensions: [("operation", operation)], preferredDisplayUnit: .seconds)
            handles.durations[operation] = timer
            return timer
        }
    }

    /// Runs one store operation and records its duration, and its error if it fails with one.
    /// - Parameter operation: `<table>.<method>`: a fixed name, never data.
    public static func measure<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let gauge = connections()
        gauge.record(
            inFlight.withLockedValue {
                $0 += 1
                return $0
            })
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            duration(operation).recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
            gauge.record(
                inFlight.withLockedValue {
                    $0 -= 1
                    return $0
                })
        }
        do {
            return try await body()
        } catch {
            if error is any DatabaseError { Counter(label: errorsTotal).increment() }
            throw error
        }
    }
}
