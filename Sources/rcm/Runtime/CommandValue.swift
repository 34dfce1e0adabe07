import ArgumentParser
import RCMServer

/// An enumeration's value from a command-line option, refused as a usage error naming the known values.
enum CommandValue {
    static func parse<T: CaseIterable & RawRepresentable>(_ text: String, as type: T.Type, option: String) throws -> T
    where T.RawValue == String {
        do {
            return try NamedValue.parse(text, as: T.self, name: option)
        } catch let error as NamedValueError {
            throw ValidationError(error.description)
        }
    }
}
