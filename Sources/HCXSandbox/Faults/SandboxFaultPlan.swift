import Foundation

/// What happens to one request or callback under ``SandboxFaults``.
public struct SandboxFaultDecision: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        /// Requests: answered normally (after ``delaySeconds``).
        case none
        /// Requests: answered 503 and not accepted.
        case serverError = "server_error"
        /// Requests: accepted, answered after ``delaySeconds``.
        case timeout
        /// Callbacks: never delivered.
        case drop
        /// Callbacks: delivered twice.
        case duplicate
        /// Callbacks: delivered after ``delaySeconds``.
        case late
        /// Callbacks: held back ``delaySeconds`` so later ones overtake.
        case outOfOrder = "out_of_order"
    }

    public let kind: Kind
    /// Seconds to wait before answering or delivering.
    public let delaySeconds: Double

    public var description: String {
        delaySeconds > 0 ? "\(kind.rawValue)+\(String(format: "%.3f", delaySeconds))s" : kind.rawValue
    }
}

/// The deterministic fault sequence of a ``SandboxFaults`` configuration.
///
/// Each decision is a pure function of the seed, the stream (requests or callbacks) and the
/// message's position in that stream, drawn from SplitMix64 (Steele, Lea & Flood, "Fast
/// splittable pseudorandom number generators", OOPSLA 2014): the n-th request of a run gets the
/// same decision in every run with the same seed, however the requests interleave.
public struct SandboxFaultPlan: Sendable {
    public enum Stream: UInt64, Sendable, Codable {
        case requests = 0x5245_5155  // "REQU"
        case callbacks = 0x4341_4C4C  // "CALL"
    }

    public let faults: SandboxFaults

    public init(_ faults: SandboxFaults) { self.faults = faults }

    /// The decision for the `index`-th (0-based) message of `stream`.
    public func decision(_ stream: Stream, index: UInt64) -> SandboxFaultDecision {
        var random = SplitMix64(
            seed: faults.seed ^ (stream.rawValue &* 0x9E37_79B9_7F4A_7C15) ^ (index &* 0xD1B5_4A32_D192_ED03))
        let roll = random.nextUnit()
        let amount = random.nextUnit()
        switch stream {
        case .requests:
            let bounds = faults.latencySeconds
            let latency = bounds.count == 2 ? bounds[0] + (bounds[1] - bounds[0]) * amount : 0
            if roll < faults.serverErrorRate { return .init(kind: .serverError, delaySeconds: latency) }
            if roll < faults.serverErrorRate + faults.timeoutRate {
                return .init(kind: .timeout, delaySeconds: faults.timeoutSeconds)
            }
            return .init(kind: .none, delaySeconds: latency)
        case .callbacks:
            var threshold = faults.dropCallbackRate
            if roll < threshold { return .init(kind: .drop, delaySeconds: 0) }
            threshold += faults.duplicateCallbackRate
            if roll < threshold { return .init(kind: .duplicate, delaySeconds: 0) }
            threshold += faults.lateCallbackRate
            if roll < threshold { return .init(kind: .late, delaySeconds: faults.lateSeconds) }
            threshold += faults.outOfOrderRate
            if roll < threshold {
                return .init(kind: .outOfOrder, delaySeconds: faults.reorderWindowSeconds * amount)
            }
            return .init(kind: .none, delaySeconds: 0)
        }
    }
}

/// SplitMix64: a small, well-studied generator, enough for reproducible test faults (not for
/// anything secret).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
}
