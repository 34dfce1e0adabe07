import Foundation

/// How ``HCXClient`` retries a call that may succeed when repeated: transport failures, timeouts,
/// 5xx and 429 (the HCX dispatcher's rules: 400/401/403/404 are final; docs
/// reference/hcx-protocol.md §4.3). Delays grow exponentially with random jitter so that many
/// clients do not retry in step.
public struct HCXRetryPolicy: Sendable, Hashable {
    /// Attempts in all, including the first (1 = no retry).
    public var maxAttempts: Int
    /// Delay before the first retry, in seconds.
    public var initialDelaySeconds: Double
    /// Factor applied to the delay after each retry.
    public var multiplier: Double
    /// Longest delay, in seconds.
    public var maxDelaySeconds: Double
    /// Fraction of each delay drawn at random (0…1): 0.2 means ±20 %.
    public var jitter: Double

    public init(
        maxAttempts: Int = 3, initialDelaySeconds: Double = 0.5, multiplier: Double = 2, maxDelaySeconds: Double = 10,
        jitter: Double = 0.2
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelaySeconds = initialDelaySeconds
        self.multiplier = multiplier
        self.maxDelaySeconds = maxDelaySeconds
        self.jitter = min(max(jitter, 0), 1)
    }

    /// No retries.
    public static let none = HCXRetryPolicy(maxAttempts: 1)

    /// The delay before retry number `retry` (1 for the first retry), in seconds, with jitter drawn
    /// from `random` (a value in 0…1).
    public func delaySeconds(beforeRetry retry: Int, random: Double = Double.random(in: 0...1)) -> Double {
        let base = min(maxDelaySeconds, initialDelaySeconds * pow(multiplier, Double(max(0, retry - 1))))
        return max(0, base * (1 + jitter * (2 * random - 1)))
    }
}
