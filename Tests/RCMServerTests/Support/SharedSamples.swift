import Foundation
import TestSupport

/// Paths of the third-party HCX samples (read in place from `../shared/samples/hcx`, never copied)
/// and of the repository's own samples.
enum Samples {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A shared sample (``TestSupport/SharedSamples``); skips the running test when they are absent.
    static func shared(_ name: String) throws -> URL { try SharedSamples.url(name) }

    static func own(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("samples/\(name)")
    }
}
