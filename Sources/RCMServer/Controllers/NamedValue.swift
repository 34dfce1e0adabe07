/// Reading an enumeration's value from text an operator typed (a query parameter, a CLI option):
/// case-insensitive, and an unknown value is refused with the list of known ones.
public enum NamedValue {
    /// The known values, comma-separated (`PENDING, IN_PROGRESS, …`).
    public static func known<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> String
    where T.RawValue == String {
        T.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// The value named by `text` (matched case-insensitively).
    /// - Throws: ``NamedValueError`` saying which values are known.
    public static func parse<T: CaseIterable & RawRepresentable>(_ text: String, as type: T.Type, name: String) throws
        -> T
    where T.RawValue == String {
        guard let value = T.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }) else {
            throw NamedValueError(description: "\(name): '\(text)' is not one of \(known(T.self))")
        }
        return value
    }
}

/// An unknown value for a named setting (`status: 'LOST' is not one of PENDING, …`).
public struct NamedValueError: Error, CustomStringConvertible {
    public let description: String
}
