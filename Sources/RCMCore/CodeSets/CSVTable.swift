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
