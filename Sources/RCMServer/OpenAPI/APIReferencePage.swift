import Foundation

/// The API reference page (`GET /docs`, template `api-reference.leaf`): the OpenAPI document laid
/// out for a reader — operations by tag with their parameters, request body, responses and
/// security, then every schema with its properties. Rendered by RCM (no script, nothing fetched
/// from elsewhere); the document itself is at `/openapi.json`.
struct APIReferencePage: Encodable {
    struct Tag: Encodable {
        let name: String
        let description: String
        let operations: [Operation]
    }

    struct Operation: Encodable {
        let anchor: String
        let method: String
        let path: String
        let summary: String
        let description: String
        let security: String
        let parameters: [Parameter]
        let requestBody: String?
        let responses: [Response]
    }

    struct Parameter: Encodable {
        let name: String
        let location: String
        let required: Bool
        let type: String
        let description: String
    }

    struct Response: Encodable {
        let status: String
        let description: String
        let body: String?
    }

    struct Schema: Encodable {
        let name: String
        let anchor: String
        let description: String
        let type: String
        let properties: [Property]
    }

    struct Property: Encodable {
        let name: String
        let type: String
        let required: Bool
        let description: String
    }

    let layout: ConsoleLayout
    let version: String
    let summary: String
    let description: String
    let tags: [Tag]
    let schemas: [Schema]

    /// Lays out `document` (an OpenAPI 3.1 document, parsed).
    init(_ document: [String: Any]) {
        let info = document["info"] as? [String: Any] ?? [:]
        let components = document["components"] as? [String: Any] ?? [:]
        let paths = document["paths"] as? [String: Any] ?? [:]
        layout = ConsoleLayout(title: "API reference", section: "docs", user: nil, roles: nil, csrf: "")
        version = info["version"] as? String ?? ""
        summary = info["summary"] as? String ?? ""
        description = info["description"] as? String ?? ""

        func resolve(_ value: Any?, in section: String) -> [String: Any] {
            guard let object = value as? [String: Any] else { return [:] }
            guard let ref = object["$ref"] as? String else { return object }
            let name = ref.components(separatedBy: "/").last ?? ""
            return (components[section] as? [String: Any])?[name] as? [String: Any] ?? [:]
        }
        func bodies(_ content: Any?) -> String? {
            guard let content = content as? [String: Any], !content.isEmpty else { return nil }
            return content.keys.sorted().map { media in
                let schema = (content[media] as? [String: Any])?["schema"]
                return "\(media): \(Self.type(of: schema))"
            }.joined(separator: "; ")
        }
        var operationsByTag: [String: [Operation]] = [:]
        for path in paths.keys.sorted() {
            guard let item = paths[path] as? [String: Any] else { continue }
            for method in OpenAPIDocument.methods {
                guard let operation = item[method] as? [String: Any] else { continue }
                let security =
                    (operation["security"] as? [[String: Any]] ?? document["security"] as? [[String: Any]] ?? [])
                    .flatMap(\.keys).sorted()
                let parameters = (operation["parameters"] as? [Any] ?? []).map { resolve($0, in: "parameters") }
                let responses = operation["responses"] as? [String: Any] ?? [:]
                let requestBody = resolve(operation["requestBody"], in: "requestBodies")
                let entry = Operation(
                    anchor: operation["operationId"] as? String ?? "\(method)-\(path)", method: method.uppercased(),
                    path: path, summary: operation["summary"] as? String ?? "",
                    description: operation["description"] as? String ?? "",
                    security: security.isEmpty ? "none (open)" : security.joined(separator: " or "),
                    parameters: parameters.map { parameter in
                        Parameter(
                            name: parameter["name"] as? String ?? "", location: parameter["in"] as? String ?? "",
                            required: parameter["required"] as? Bool ?? false, type: Self.type(of: parameter["schema"]),
                            description: parameter["description"] as? String ?? "")
                    },
                    requestBody: bodies(requestBody["content"]),
                    responses: responses.keys.sorted().map { status in
                        let response = resolve(responses[status], in: "responses")
                        return Response(
                            status: status, description: response["description"] as? String ?? "",
                            body: bodies(response["content"]))
                    })
                for tag in operation["tags"] as? [String] ?? ["Other"] {
                    operationsByTag[tag, default: []].append(entry)
                }
            }
        }
        let tagList = document["tags"] as? [[String: Any]] ?? []
        var names = tagList.compactMap { $0["name"] as? String }
        names += operationsByTag.keys.filter { !names.contains($0) }.sorted()
        tags = names.compactMap { name in
            guard let operations = operationsByTag[name] else { return nil }
            let description = tagList.first { $0["name"] as? String == name }?["description"] as? String ?? ""
            return Tag(name: name, description: description, operations: operations)
        }
        let schemaMap = components["schemas"] as? [String: Any] ?? [:]
        schemas = schemaMap.keys.sorted().map { name in
            let schema = schemaMap[name] as? [String: Any] ?? [:]
            let required = Set(schema["required"] as? [String] ?? [])
            let properties = schema["properties"] as? [String: Any] ?? [:]
            return Schema(
                name: name, anchor: "schema-\(name)", description: schema["description"] as? String ?? "",
                type: Self.type(of: schema),
                properties: properties.keys.sorted().map { property in
                    let value = properties[property] as? [String: Any] ?? [:]
                    return Property(
                        name: property, type: Self.type(of: value), required: required.contains(property),
                        description: value["description"] as? String ?? "")
                })
        }
    }

    /// A schema in a few words: its `$ref` name, type (`array of X`, `a | b`), format and values.
    static func type(of value: Any?) -> String {
        guard let schema = value as? [String: Any] else { return "any" }
        if let ref = schema["$ref"] as? String { return ref.components(separatedBy: "/").last ?? ref }
        for combinator in ["oneOf", "anyOf", "allOf"] {
            if let options = schema[combinator] as? [Any] {
                return options.map { type(of: $0) }.joined(separator: combinator == "allOf" ? " & " : " | ")
            }
        }
        var types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        if let index = types.firstIndex(of: "array") { types[index] = "array of \(type(of: schema["items"]))" }
        var text = types.isEmpty ? "any" : types.joined(separator: " | ")
        if let format = schema["format"] as? String { text += " (\(format))" }
        if let values = schema["enum"] as? [Any] { text += ": " + values.map { "\($0)" }.joined(separator: ", ") }
        return text
    }
}
