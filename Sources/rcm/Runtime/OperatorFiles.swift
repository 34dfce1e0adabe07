import Foundation

/// Reading the files operator commands are given, with one-line errors naming the file.
enum OperatorFiles {
    /// The bytes of `path`, or of standard input for `-`.
    static func data(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OperatorError("\(path): no such file or it cannot be read")
        }
        return data
    }

    /// A PEM file read into a key type; the key's own error is prefixed with the path.
    static func read<T>(_ path: String, as what: String, _ make: (String) throws -> T) throws -> T {
        let text = String(decoding: try data(path), as: UTF8.self)
        do {
            return try make(text)
        } catch {
            throw OperatorError("\(path): \(error)")
        }
    }
}

/// A one-line failure of an operator command (printed as `Error: …`, exit status 1).
struct OperatorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
