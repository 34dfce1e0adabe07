/// The one rule for text that reaches RCM from outside (request bodies, paths, query strings,
/// files): which control characters it may hold. Applied once at the door by the server (every
/// JSON body, path and query value) and by the intake readers, so that no identifier can forge a
/// log line (a newline in a payment identifier did) and nothing stored reads back cut short (a NUL
/// byte did, in SQLite; PostgreSQL refuses NUL in `text` outright).
///
/// Control characters are Unicode's general category Cc: U+0000–U+001F, U+007F and U+0080–U+009F.
public enum InputText {
    /// What a value is, which decides what it may hold.
    public enum Kind: Sendable {
        /// A code, an id, a reference, a name of something: no control character at all.
        case identifier
        /// Prose (a note, an appeal's text, a FHIR narrative): tab, line feed and carriage return
        /// allowed; every other control character refused.
        case freeText
    }

    /// The first control character `text` may not hold as `kind`, if any.
    public static func forbiddenCharacter(in text: String, as kind: Kind) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            guard scalar.properties.generalCategory == .control else { return false }
            switch kind {
            case .identifier: return true
            case .freeText: return !["\t", "\n", "\r"].contains(scalar)
            }
        }
    }

    /// A field-level message for `text` as `kind` ("contains the control character U+000A; …"),
    /// or `nil` when it is acceptable.
    public static func problem(in text: String, as kind: Kind) -> String? {
        guard let scalar = forbiddenCharacter(in: text, as: kind) else { return nil }
        let allowed =
            switch kind {
            case .identifier: "identifiers, codes and references may not contain control characters"
            case .freeText: "text may contain tab and line breaks but no other control characters"
            }
        return "contains the control character \(codePoint(scalar)); \(allowed)"
    }

    /// Whether a JSON member named `key` holds an identifier rather than prose: `id`, `*_id`,
    /// `*Id`, `*ID`, `*identifier`, `*Identifier`, `reference`, `fullUrl`, `system`, `code`,
    /// `value` (FHIR `Identifier.value`), `currency`, `kind`, `status`, `email`.
    public static func isIdentifierKey(_ key: String) -> Bool {
        if ["id", "reference", "fullUrl", "system", "code", "value", "currency", "kind", "status", "email"].contains(
            key)
        {
            return true
        }
        return key.hasSuffix("_id") || key.hasSuffix("Id") || key.hasSuffix("ID") || key.hasSuffix("identifier")
            || key.hasSuffix("Identifier")
    }

    /// `text` unchanged when it holds no control character; else with every control character
    /// written as `\u{XXXX}` and every backslash as `\\`, so that the result holds none and
    /// maps back to exactly one original.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return text
        }
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                result += "\\\\"
            } else if scalar.properties.generalCategory == .control {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `U+000A`.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
