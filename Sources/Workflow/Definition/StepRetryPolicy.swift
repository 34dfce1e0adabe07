import Foundation

/// How a step's failures are retried (the model of Temporal's activity retry policy; docs
/// reference/rcm-domain.md §3): up to ``maxAttempts`` in all, waiting ``initialIntervalSeconds``
/// × ``multiplier``^(n−1), at most ``maxIntervalSeconds``, with ±``jitter`` of random spread.
/// Failures whose kind is in ``nonRetryableKinds`` (or a ``StepFailure`` marked not retryable)
/// fail the step at once.
public struct StepRetryPolicy: Sendable, Hashable {
    /// Attempts in all, including the first (1 = no retry).
    public var maxAttempts: Int
    /// Seconds before the first retry.
    public var initialIntervalSeconds: Double
    public var multiplier: Double
    /// Longest wait between attempts, in seconds.
    public var maxIntervalSeconds: Double
    /// Fraction of each interval drawn at random (0…1).
    public var jitter: Double
    /// Error kinds never retried: a ``StepFailure``'s ``StepFailure/kind`` or the error's type name.
    public var nonRetryableKinds: Set<String>

    public init(
        maxAttempts: Int = 3, initialIntervalSeconds: Double = 1, multiplier: Double = 2,
        maxIntervalSeconds: Double = 60, jitter: Double = 0.1, nonRetryableKinds: Set<String> = []
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialIntervalSeconds = max(0, initialIntervalSeconds)
        self.multiplier = max(1, multiplier)
        self.maxIntervalSeconds = max(0, maxIntervalSeconds)
        self.jitter = min(max(jitter, 0), 1)
        self.nonRetryableKinds = nonRetryableKinds
    }

    /// No retries: the first failure fails the step.
    public static let none = StepRetryPolicy(maxAttempts: 1)

    /// Seconds to wait after failed attempt number `attempt` (from 1), with `random` in 0…1 for
    /// the jitter.
    public func intervalSeconds(afterAttempt attempt: Int, random: Double) -> Double {
        let base = min(maxIntervalSeconds, initialIntervalSeconds * pow(multiplier, Double(max(0, attempt - 1))))
        return max(0, base * (1 + jitter * (2 * random - 1)))
    }

    /// Whether `error`, raised by attempt number `attempt`, is tried again.
    public func retries(_ error: any Error, afterAttempt attempt: Int) -> Bool {
        guard attempt < maxAttempts else { return false }
        if let failure = error as? StepFailure, !failure.retryable { return false }
        return !nonRetryableKinds.contains(StepFailure.kind(of: error))
    }
}
