import Foundation

/// A rules file that cannot be used: the message names the file and the field
/// (`rules.json: members[0].sum_insured: 'lots' is not a non-negative amount …`).
public struct SandboxRulesError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// A decoding error as `path: problem`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "\(parent.isEmpty ? "" : parent + ".")\(key.stringValue): required"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)): required"
        case .dataCorrupted(let context):
            let location = path(context.codingPath)
            return location.isEmpty ? "not JSON" : "\(location): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
