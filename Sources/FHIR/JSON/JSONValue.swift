import Foundation

/// Any JSON value, with numbers kept as exact `Decimal`s.
///
/// FHIR resources are read into this form first, so that elements RCM does not model survive a
/// decode/encode round trip and nothing a payer or provider sends is silently dropped.
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Reads any JSON value through `Decodable` (a member of a `Codable` type). Each JSON type is
    /// tried in turn, the common ones of FHIR first (a miss costs a `DecodingError`); top-level
    /// text is read faster by ``init(parsing:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Decimal.self) {
            self = .number(number)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a number beyond the decimal range or text that is not UTF-8")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The member `key` of an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The text of a string value, or `nil`.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// Decodes this value as a `Decodable` type (e.g. a FHIR resource struct).
    /// - Throws: `DecodingError` when the shape does not match.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(compactUTF8))
    }

    /// Encodes a value into this form.
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONValue(parsing: try JSONEncoder().encode(value))
    }

    /// Canonical bytes: UTF-8 JSON with object keys sorted and no insignificant whitespace, so
    /// that two equal values give equal bytes (used for idempotency digests).
    public func canonicalData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
