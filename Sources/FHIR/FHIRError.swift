/// Why FHIR content could not be read. Messages name the element at fault.
public enum FHIRError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not JSON.
    case notJSON(String)
    /// The JSON is not the expected resource (`found` is its `resourceType`, or a description).
    case unexpectedResourceType(expected: String, found: String)
    /// A bundle lacks the resource the operation needs (e.g. no `Claim` in a claim bundle).
    case missingResource(String)
    /// A resource does not have the shape FHIR R4 requires.
    case invalidResource(String, reason: String)
    /// A required element is missing or unusable.
    case invalidElement(path: String, reason: String)

    public var description: String {
        switch self {
        case .notJSON(let reason): "not JSON: \(reason)"
        case .unexpectedResourceType(let expected, let found): "expected a FHIR \(expected), found \(found)"
        case .missingResource(let type): "the bundle has no \(type) resource"
        case .invalidResource(let type, let reason): "invalid \(type): \(reason)"
        case .invalidElement(let path, let reason): "\(path): \(reason)"
        }
    }

    /// A short, field-level description of a `DecodingError`.
    public static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingPrefix(".").description
            return text.isEmpty ? "the document" : text
        }
        switch decoding {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): missing \(type)"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required element missing"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(decoding)"
        }
    }
}
