import Foundation
import NIOConcurrencyHelpers
import RCMCore

/// The code sets from the data folder, loaded once per process and shared (loading parses about
/// 250,000 codes).
public enum SharedCodeSets {
    private static let loaded = NIOLockedValueBox<CodeSetCatalog?>(nil)

    /// The catalog from ``CodeSetFiles/dataDirectory(environment:)``.
    /// - Throws: ``RCMCore/CodeSetError`` when the data cannot be read.
    public static func catalog() throws -> CodeSetCatalog {
        try loaded.withLockedValue { cached in
            if let cached { return cached }
            let catalog = try CodeSetFiles.load(from: CodeSetFiles.dataDirectory())
            cached = catalog
            return catalog
        }
    }
}
