import Foundation

/// A typed FHIR resource together with the JSON it was read from, so that re-encoding keeps every
/// element the Swift model does not name (extensions, narrative, elements of later profiles):
/// nothing a payer or provider sends is silently dropped.
///
/// Encoding lays the model over the original (``JSONValue/merging(_:)``): changed elements win,
/// unknown ones stay. An element the model sets to `nil` is not removed from the original; edit
/// ``original`` to remove one.
public struct Preserved<Model: Codable & Sendable>: Codable, Sendable {
    /// The typed view.
    public var model: Model
    /// The JSON as received (`.object([:])` for a model made in code).
    public var original: JSONValue

    /// Wraps a model made in code.
    public init(_ model: Model) {
        self.model = model
        self.original = .object([:])
    }

    /// Reads `json` into the model, keeping `json`.
    /// - Throws: ``FHIRError/invalidResource(_:reason:)`` naming the element at fault.
    public init(json: JSONValue) throws {
        do {
            model = try json.decode(as: Model.self)
        } catch {
            throw FHIRError.invalidResource("\(Model.self)", reason: FHIRError.describe(error))
        }
        original = json
    }

    public init(from decoder: any Decoder) throws {
        try self.init(json: try JSONValue(from: decoder))
    }

    /// The resource as JSON: the original with the model laid over it.
    public func json() throws -> JSONValue {
        original.merging(try JSONValue(encoding: model))
    }

    public func encode(to encoder: any Encoder) throws {
        try json().encode(to: encoder)
    }
}
