import Foundation

/// What a step sees when it runs: the workflow's id and input, and earlier steps' outputs.
public struct StepContext: Sendable {
    public let workflowID: WorkflowID
    /// The workflow input as JSON bytes.
    public let input: Data
    /// Outputs of completed steps, by step name.
    public let outputs: [String: Data]
    /// Which attempt this is, from 1.
    public let attempt: Int
    /// The step's name.
    public let step: String
    /// The worker running it (the engine's worker id), for audit entries as `system:<worker>`.
    public let workerID: String

    public init(
        workflowID: WorkflowID, input: Data, outputs: [String: Data], attempt: Int, step: String = "",
        workerID: String = ""
    ) {
        self.workflowID = workflowID
        self.input = input
        self.outputs = outputs
        self.attempt = attempt
        self.step = step
        self.workerID = workerID
    }

    /// A key naming this step of this run (`<workflow id>/<step>`), the same on every attempt:
    /// record it with an external effect, and skip the effect when it is already recorded.
    public var idempotencyKey: String { "\(workflowID)/\(step)" }

    /// The input decoded as `T`.
    /// - Throws: `DecodingError` when it is not a `T`.
    public func input<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: input)
    }

    /// The recorded output of step `name`, decoded as `T`.
    /// - Throws: ``WorkflowError/missingOutput(step:)`` when that step has no output.
    public func output<T: Decodable>(of name: String, as type: T.Type) throws -> T {
        guard let data = outputs[name] else { throw WorkflowError.missingOutput(step: name) }
        return try JSONDecoder().decode(T.self, from: data)
    }
}
