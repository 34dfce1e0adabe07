import Foundation

/// Paths of the third-party HCX samples (read in place from `../shared/samples/hcx`, never copied)
/// and of the repository's own samples.
enum Samples {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func shared(_ name: String) -> URL {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/samples/hcx/\(name)")
    }

    static func own(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("samples/\(name)")
    }
}
