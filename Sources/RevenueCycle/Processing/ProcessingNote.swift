/// One line the main job reports about an input entry or a claim as it handles it.
public struct ProcessingNote: Sendable, Hashable, CustomStringConvertible {
    /// What happened.
    public enum Kind: String, Sendable, Hashable {
        /// The claim's workflow was started and waits for the payer (routine).
        case started
        /// The claim was stopped before submission by its coding review or scrub edits.
        case stopped
        /// An input could not be read at all.
        case skipped
        /// An input entry was refused at intake (the claim was not taken in).
        case rejected
        /// The entry's claim was taken in before.
        case duplicate
        /// A claim whose workflow failed earlier was resumed, or its submission re-sent.
        case resumed
        /// The claim's workflow failed (technical; resumable).
        case failed
        /// The claim is still waiting for its payer at the end of the run.
        case pending
    }

    public let kind: Kind
    /// The line, e.g. `batch.ndjson:12: duplicate of claim <uuid>`.
    public let text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    public var description: String { text }
}
