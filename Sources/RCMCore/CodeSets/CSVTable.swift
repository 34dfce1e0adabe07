import Foundation

/// Comma-separated values as RFC 4180 writes them: fields in double quotes may hold commas, line
/// breaks and doubled quotes (`""` for `"`).
public enum CSVTable {
    /// The rows of `text`, each a list of fields; blank lines are skipped.
    /// - Throws: ``CodeSetError/malformed(_:)`` for a quote left open.
    public static func rows(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text).makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let held = pending {
                pending = nil
                return held
            }
            return characters.next()
        }
        while let character = next() {
            if quoted {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = following
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                row.append(field)
                if row != [""] { rows.append(row) }
                row = []
                field = ""
            default: field.append(character)
            }
        }
        guard !quoted else { throw CodeSetError.malformed("a quoted field is not closed") }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}

extension CSVTable {
    /// One record as RFC 4180 writes it, ending in CRLF: a field holding a comma, a quote or a line
    /// break is quoted, with its quotes doubled. A text field that a spreadsheet would run as a
    /// formula (starting with `=`, `+`, `-`, `@`, tab or carriage return, and not a number) is
    /// prefixed with `'` (OWASP, CSV injection).
    public static func line(_ fields: [String]) -> String {
        fields.map { field in
            var field = field
            if let first = field.first, "=+-@\t\r".contains(first), Double(field) == nil { field = "'" + field }
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }
}
