import Crypto
import Foundation

/// RCM's API contract: the OpenAPI 3.1 document kept in the target's resources
/// (`Resources/OpenAPI/openapi.json`), written by hand next to the routes it describes. It is kept
/// true by tests rather than generated: `OpenAPIContractTests` checks both ways that every route
/// Vapor registers (the console's HTML pages aside) is documented with its method and path and
/// every documented operation is registered; CI validates the document (`openapi-spec-validator`)
/// and runs Schemathesis against a live `rcm serve`, which checks every response's status, media
/// type, headers and body against it.
public struct OpenAPIDocument: Sendable {
    /// The document as served (UTF-8 JSON).
    public let data: Data
    /// Its entity tag: the SHA-256 of `data`, hex, quoted.
    public let etag: String

    /// Reads the document from the target's resources.
    /// - Throws: the file system's error when the resources are missing (a broken install).
    public static func load() throws -> OpenAPIDocument {
        let url = (Bundle.module.resourceURL ?? Bundle.module.bundleURL)
            .appendingPathComponent("OpenAPI").appendingPathComponent("openapi.json")
        let data = try Data(contentsOf: url)
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return OpenAPIDocument(data: data, etag: "\"\(digest)\"")
    }

    /// The document parsed.
    /// - Throws: ``StoredDataError`` when it is not a JSON object.
    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw StoredDataError(column: "openapi.json", value: "not a JSON object")
        }
        return object
    }

    /// The HTTP methods an OpenAPI path item may hold, in the order the reference lists them.
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Every documented operation as `METHOD /path`, with Vapor's parameter syntax (`:id` for
    /// `{id}`), as ``AccessPolicy/key(method:path:)`` writes a route.
    public func operationKeys() throws -> Set<String> {
        let paths = try json()["paths"] as? [String: Any] ?? [:]
        var keys: Set<String> = []
        for (path, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            let vaporPath = path.split(separator: "/", omittingEmptySubsequences: false).map { part in
                part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
            }.joined(separator: "/")
            for method in Self.methods where item[method] != nil { keys.insert("\(method.uppercased()) \(vaporPath)") }
        }
        return keys
    }
}
