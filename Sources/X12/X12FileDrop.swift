import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Puts an X12 file into a folder another party polls (a clearinghouse's drop, an inbox): written
/// to a hidden temporary file (`.<name>.<random>.tmp`) in the same folder, then renamed, so that a
/// reader never sees half a file (readers skip names starting with a dot; a rename within a
/// file system is atomic).
public enum X12FileDrop {
    /// Writes `text` as `folder/name`, replacing a file of that name; creates the folder.
    /// - Throws: a file-system error (nothing is left under `name` then).
    public static func write(_ text: String, named name: String, in folder: URL) throws {
        let files = FileManager.default
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(name).\(UUID().uuidString).tmp")
        try Data(text.utf8).write(to: temporary)
        // rename(2) replaces an existing target in one step (FileManager's replace does not on Linux).
        guard rename(temporary.path, folder.appendingPathComponent(name).path) == 0 else {
            let code = errno
            try? files.removeItem(at: temporary)
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [NSFilePathErrorKey: folder.appendingPathComponent(name).path, "errno": code])
        }
    }
}
