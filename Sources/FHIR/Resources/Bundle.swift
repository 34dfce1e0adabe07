import Foundation

/// FHIR R4 `Bundle`: a container of resources.
///
/// HCX exchanges `collection` bundles whose first entry is the focal resource (HCX IG v0.7.1);
/// older HCX drafts used `document` bundles headed by a `Composition`. Entries keep their resource
/// as ``JSONValue`` so every element sent survives; decode one with ``Entry/resource(as:)``.
public struct Bundle: Hashable, Sendable, Codable {
    /// One entry of a bundle.
    public struct Entry: Hashable, Sendable, Codable {
        /// `urn:uuid:…` (HCX IG v0.7.1) or a relative `Type/id` as older samples send.
        public var fullUrl: String?
        /// The resource, exactly as sent.
        public var resource: JSONValue?

        public init(fullUrl: String?, resource: JSONValue?) {
            self.fullUrl = fullUrl
            self.resource = resource
        }

        /// The entry's `resourceType`, if it has a resource.
        public var resourceType: String? { resource?["resourceType"]?.stringValue }

        /// Decodes the entry's resource as a typed FHIR resource.
        /// - Throws: ``FHIRError/invalidResource(_:reason:)`` when it does not match.
        public func resource<R: Decodable>(as type: R.Type) throws -> R {
            guard let resource else { throw FHIRError.invalidResource("\(R.self)", reason: "entry has no resource") }
            do {
                return try resource.decode(as: R.self)
            } catch {
                throw FHIRError.invalidResource("\(R.self)", reason: FHIRError.describe(error))
            }
        }
    }

    public var resourceType: String = "Bundle"
    public var id: String?
    public var meta: Meta?
    public var identifier: Identifier?
    /// `collection` (HCX IG v0.7.1) or `document` (older HCX drafts).
    public var type: String
    /// FHIR `instant` as text, e.g. `2023-02-20T14:03:15.013+05:30`.
    public var timestamp: String?
    public var entry: [Entry]?

    public init(id: String?, meta: Meta?, type: String, timestamp: String?, entry: [Entry]) {
        self.id = id
        self.meta = meta
        self.type = type
        self.timestamp = timestamp
        self.entry = entry
    }

    /// Reads a bundle from JSON: its typed elements through `Decodable`, each entry's resource taken
    /// from `json` as it is. (Through `Decodable`, every resource was read a second time, value by
    /// value, into ``JSONValue`` — a twentieth of `rcm process`'s CPU; docs/benchmarks.md.)
    /// - Throws: `DecodingError` when an element does not have its FHIR R4 type.
    public init(json: JSONValue) throws {
        guard case .object(var members) = json, case .array(let entries)? = members["entry"] else {
            self = try json.decode(as: Bundle.self)
            return
        }
        members["entry"] = .array(
            entries.map { entry in
                guard case .object(var fields) = entry else { return entry }
                fields["resource"] = nil
                return .object(fields)
            })
        var bundle = try JSONValue.object(members).decode(as: Bundle.self)
        for index in bundle.entry?.indices ?? 0..<0 {
            let resource = entries[index]["resource"]
            bundle.entry?[index].resource = resource == .null ? nil : resource
        }
        self = bundle
    }

    /// ``init(json:)`` of UTF-8 JSON text.
    /// - Throws: `DecodingError` when the text is not JSON or an element does not have its FHIR R4 type.
    public init(jsonData data: Data) throws {
        try self.init(json: try JSONValue(parsing: data))
    }

    /// The first entry whose resource has the given `resourceType`.
    public func firstEntry(ofType resourceType: String) -> Entry? {
        entry?.first { $0.resourceType == resourceType }
    }
}
