import Foundation
import RCMCore

/// An amount or percentage in a rules file: a JSON string of plain decimal text (`"50000.00"`),
/// read exactly (see ``RCMCore/DecimalText``), never through binary floating point.
public struct SandboxAmount: Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The value; never negative.
    public let value: Decimal

    /// Reads `text`.
    /// - Throws: ``SandboxRulesError`` when it is not non-negative plain decimal text.
    public init(_ text: String) throws {
        guard let value = DecimalText.parse(text), value >= 0 else {
            throw SandboxRulesError("'\(text)' is not a non-negative amount such as \"2500.50\"")
        }
        self.value = value
    }

    /// A literal in code; it must be valid (a programming error otherwise).
    public init(stringLiteral text: String) {
        guard let value = DecimalText.parse(text), value >= 0 else {
            preconditionFailure("invalid amount literal \(text)")
        }
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "must be a string of decimal text such as \"2500.50\"")
        }
        do {
            try self.init(text)
        } catch let error as SandboxRulesError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The value in `currency`, rounded to its minor unit.
    public func money(_ currency: CurrencyCode) -> Money { Money(rounding: value, currency) }

    public var description: String { "\(value)" }
}
