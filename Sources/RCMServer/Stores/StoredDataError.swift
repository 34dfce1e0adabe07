/// A stored value could not be read back into the domain (a database edited by hand, or a bug).
struct StoredDataError: Error, CustomStringConvertible {
    let column: String
    let value: String

    var description: String { "stored value '\(value)' in \(column) cannot be read" }

    static func require<T>(_ value: T?, _ column: String, _ text: String) throws -> T {
        guard let value else { throw StoredDataError(column: column, value: text) }
        return value
    }
}
