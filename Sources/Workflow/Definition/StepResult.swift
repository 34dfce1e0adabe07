import Foundation

/// What a step's work produced.
public enum StepResult: Sendable {
    /// Done, with an output (JSON bytes) recorded for later steps and for resume.
    case completed(Data)
    /// Park the workflow until the event `eventKey` is delivered (its payload becomes this step's
    /// output) or `deadline` passes. No thread is held while waiting.
    case wait(eventKey: String, deadline: Date)

    /// Done, with `output` encoded as JSON.
    public static func completed<T: Encodable>(encoding output: T) throws -> StepResult {
        .completed(try JSONEncoder().encode(output))
    }
}
