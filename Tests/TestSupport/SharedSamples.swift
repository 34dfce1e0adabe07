import Foundation
import Testing

/// The third-party HCX reference samples, read in place from `../shared/samples/hcx` beside the
/// repository (never copied into it: their provenance is in that folder's `SOURCES.md`). A clone
/// without that folder still passes `swift test`: a test that needs a sample is skipped (cancelled,
/// with one line saying where to put the samples).
public enum SharedSamples {
    /// This repository's root folder.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/samples/hcx`, or the folder `RCM_HCX_SAMPLES_DIR` names (CI points it at a folder
    /// that does not exist to check that a clone without the samples passes).
    public static let folder: URL = {
        if let path = ProcessInfo.processInfo.environment["RCM_HCX_SAMPLES_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/samples/hcx")
    }()

    /// Whether the samples are there.
    public static var isAvailable: Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) && isFolder.boolValue
    }

    /// Why a test was skipped.
    public static var missing: String {
        "needs the HCX reference samples: put them in \(folder.path) (a folder samples/hcx beside this repository)"
    }

    /// The samples' folder; skips the running test when it is absent.
    /// - Throws: the test's cancellation (a skip), when the samples are absent.
    public static func requireFolder() throws -> URL {
        guard isAvailable else { try Test.cancel(Comment(rawValue: missing)) }
        return folder
    }

    /// A sample's location; skips the running test when the samples are absent.
    public static func url(_ name: String) throws -> URL {
        try requireFolder().appendingPathComponent(name)
    }

    /// A sample's bytes; skips the running test when the samples are absent.
    public static func data(_ name: String) throws -> Data {
        try Data(contentsOf: url(name))
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when the shared samples are there (skipped, with ``SharedSamples/missing``,
    /// otherwise). For a test that starts servers or databases before it reads a sample, where
    /// cancelling it half-way (``SharedSamples/url(_:)``) would leave them running.
    public static var sharedSamples: Self {
        .enabled(if: SharedSamples.isAvailable, Comment(rawValue: SharedSamples.missing))
    }
}
