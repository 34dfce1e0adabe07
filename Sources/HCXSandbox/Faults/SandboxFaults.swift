import Foundation

/// Faults the sandbox injects, by seed: the same seed and rates give the same decision for the
/// n-th request and the n-th callback in every run (``SandboxFaultPlan``).
///
/// Request faults hit the calls participants make to the gateway; callback faults hit what the
/// gateway delivers to participants (never the sandbox payer's own traffic). Rates are
/// probabilities from 0 to 1; times are in seconds.
public struct SandboxFaults: Sendable, Hashable, Codable {
    /// Seed of the fault sequence.
    public var seed: UInt64
    /// Added latency before a gateway answer: uniformly between the two bounds, in seconds.
    public var latencySeconds: [Double]
    /// Share of requests answered `503 ERR_SERVICE_UNAVAILABLE` without being accepted.
    public var serverErrorRate: Double
    /// Share of requests that are accepted but answered only after ``timeoutSeconds`` (the caller
    /// times out, retries, and is told `ERR_INVALID_API_CALL_ID`: it already arrived).
    public var timeoutRate: Double
    /// How long a timed-out answer is held, in seconds.
    public var timeoutSeconds: Double
    /// Share of callbacks never delivered.
    public var dropCallbackRate: Double
    /// Share of callbacks delivered twice (same api_call_id).
    public var duplicateCallbackRate: Double
    /// Share of callbacks delivered after ``lateSeconds``.
    public var lateCallbackRate: Double
    public var lateSeconds: Double
    /// Share of callbacks held back by a random part of ``reorderWindowSeconds``, so later ones overtake them.
    public var outOfOrderRate: Double
    public var reorderWindowSeconds: Double

    public init(
        seed: UInt64 = 1, latencySeconds: [Double] = [0, 0], serverErrorRate: Double = 0, timeoutRate: Double = 0,
        timeoutSeconds: Double = 35, dropCallbackRate: Double = 0, duplicateCallbackRate: Double = 0,
        lateCallbackRate: Double = 0, lateSeconds: Double = 5, outOfOrderRate: Double = 0,
        reorderWindowSeconds: Double = 2
    ) {
        self.seed = seed
        self.latencySeconds = latencySeconds
        self.serverErrorRate = serverErrorRate
        self.timeoutRate = timeoutRate
        self.timeoutSeconds = timeoutSeconds
        self.dropCallbackRate = dropCallbackRate
        self.duplicateCallbackRate = duplicateCallbackRate
        self.lateCallbackRate = lateCallbackRate
        self.lateSeconds = lateSeconds
        self.outOfOrderRate = outOfOrderRate
        self.reorderWindowSeconds = reorderWindowSeconds
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case seed
        case latencySeconds = "latency_seconds"
        case serverErrorRate = "server_error_rate"
        case timeoutRate = "timeout_rate"
        case timeoutSeconds = "timeout_seconds"
        case dropCallbackRate = "drop_callback_rate"
        case duplicateCallbackRate = "duplicate_callback_rate"
        case lateCallbackRate = "late_callback_rate"
        case lateSeconds = "late_seconds"
        case outOfOrderRate = "out_of_order_rate"
        case reorderWindowSeconds = "reorder_window_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let defaults = SandboxFaults()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        seed = try value(.seed, defaults.seed)
        latencySeconds = try value(.latencySeconds, defaults.latencySeconds)
        serverErrorRate = try value(.serverErrorRate, defaults.serverErrorRate)
        timeoutRate = try value(.timeoutRate, defaults.timeoutRate)
        timeoutSeconds = try value(.timeoutSeconds, defaults.timeoutSeconds)
        dropCallbackRate = try value(.dropCallbackRate, defaults.dropCallbackRate)
        duplicateCallbackRate = try value(.duplicateCallbackRate, defaults.duplicateCallbackRate)
        lateCallbackRate = try value(.lateCallbackRate, defaults.lateCallbackRate)
        lateSeconds = try value(.lateSeconds, defaults.lateSeconds)
        outOfOrderRate = try value(.outOfOrderRate, defaults.outOfOrderRate)
        reorderWindowSeconds = try value(.reorderWindowSeconds, defaults.reorderWindowSeconds)
    }

    /// Whether any fault can happen.
    public var isActive: Bool {
        (latencySeconds.last ?? 0) > 0 || serverErrorRate > 0 || timeoutRate > 0 || dropCallbackRate > 0
            || duplicateCallbackRate > 0 || lateCallbackRate > 0 || outOfOrderRate > 0
    }

    func check(source: String) throws {
        let rates: [(String, Double)] = [
            ("server_error_rate", serverErrorRate), ("timeout_rate", timeoutRate),
            ("drop_callback_rate", dropCallbackRate), ("duplicate_callback_rate", duplicateCallbackRate),
            ("late_callback_rate", lateCallbackRate), ("out_of_order_rate", outOfOrderRate),
        ]
        for (name, rate) in rates where !(0...1).contains(rate) {
            throw SandboxRulesError("\(source): faults.\(name): must be between 0 and 1")
        }
        guard latencySeconds.count == 2, latencySeconds[0] >= 0, latencySeconds[0] <= latencySeconds[1],
            latencySeconds[1] <= 600
        else {
            throw SandboxRulesError("\(source): faults.latency_seconds: must be [min, max] with 0 ≤ min ≤ max ≤ 600")
        }
        let times: [(String, Double)] = [
            ("timeout_seconds", timeoutSeconds), ("late_seconds", lateSeconds),
            ("reorder_window_seconds", reorderWindowSeconds),
        ]
        for (name, seconds) in times where !(0...3600).contains(seconds) {
            throw SandboxRulesError("\(source): faults.\(name): must be between 0 and 3600 seconds")
        }
    }
}
