import Foundation

/// The JSON bytes RCM sends for a FHIR resource or bundle (the HCX payload inside a JWE).
///
/// Keys keep the resource's own order and slashes are not escaped (`"http://..."`, not
/// `"http:\/\/..."`), as FHIR JSON is written by other implementations (hl7.org/fhir/R4/json.html).
public enum FHIRJSON {
    /// Encodes `value` (a resource, a bundle) to UTF-8 JSON.
    /// - Throws: `EncodingError` when `value` cannot be encoded.
    public static func data(_ value: some Encodable) throws -> Data {
        // A JSON value (a stored bundle) is written directly, without `JSONEncoder`'s set-up.
        if let json = value as? JSONValue { return Data(json.compactUTF8) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
