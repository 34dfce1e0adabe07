/// A step's failure with a kind and an explicit retry decision.
///
/// Steps may throw any error; this one lets a step say "do not retry" (bad input, a payer's final
/// refusal) or name its kind for ``StepRetryPolicy/nonRetryableKinds``.
public struct StepFailure: Error, Sendable, Hashable, CustomStringConvertible {
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
}
