import Foundation

/// A step's failure with a kind and an explicit retry decision.
///
/// Steps may throw any error; this one lets a step say "do not retry" (bad input, a payer's final
/// refusal) or name its kind for ``StepRetryPolicy/nonRetryableKinds``.
public struct StepFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// A short stable name, e.g. `invalid-input`.
    public let kind: String
    public let message: String
    public let retryable: Bool

    public init(kind: String, message: String, retryable: Bool) {
        self.kind = kind
        self.message = message
        self.retryable = retryable
    }

    public var description: String { message }

    /// The kind of any error: a ``StepFailure``'s kind, else the error's type name.
    public static func kind(of error: any Error) -> String {
        (error as? StepFailure)?.kind ?? String(describing: type(of: error))
    }

    /// This failure as the payload of an event a step waits on (`{"stepFailure": {kind, message,
    /// retryable}}`): delivered instead of the awaited answer, it ends the wait at once as a failed
    /// attempt of the step (retried or not by the step's policy), e.g. a payer's error response.
    public var eventPayload: Data {
        // A struct of strings and a Bool always encodes.
        try! JSONEncoder().encode(["stepFailure": self])
    }

    /// The failure an event payload carries (``eventPayload``), or `nil` for any other payload.
    public init?(eventPayload payload: Data) {
        guard payload.count < 65_536, payload.starts(with: Data(#"{"stepFailure""#.utf8)),
            let failure = try? JSONDecoder().decode([String: StepFailure].self, from: payload)["stepFailure"]
        else { return nil }
        self = failure
    }
}
