import Foundation
import Logging
import RevenueCycle
import X12

/// Watches the X12 inbox (`inbox` of `RCM_X12_SETTINGS`) where the clearinghouse drops 999 and
/// 835 files, in every process that runs workflow workers (`rcm serve`, `rcm worker`, `rcm
/// process`): each file is claimed by renaming it into `processing/` (a rename succeeds for one
/// process only, so several workers on PostgreSQL never read a file twice), imported
/// (``RevenueCycle/RemittancePoster``, audited as `system:x12-inbox`), then moved to `processed/`,
/// or to `refused/` beside a `<name>.error.txt` holding the one-line reason (a file that does not
/// parse, an 835 that does not balance). A file whose import failed for another reason (the
/// database unreachable) goes back to the inbox for the next round, and the files after it are
/// still read. A file a crashed
/// process left in `processing/` for over ten minutes is put back (importing again is idempotent:
/// an 835 posts once per trace number). Hidden files (`.name`, a transfer in progress) are left alone.
public struct X12InboxWatcher: Sendable {
    let inbox: URL
    let remittances: RemittancePoster
    let audit: AuditTrail
    let intervalSeconds: Double
    let logger: Logger

    /// - Parameter intervalSeconds: how often the inbox is read.
    public init(
        inbox: URL, remittances: RemittancePoster, audit: AuditTrail, intervalSeconds: Double = 2, logger: Logger
    ) {
        self.inbox = inbox
        self.remittances = remittances
        self.audit = audit
        self.intervalSeconds = intervalSeconds
        self.logger = logger
    }

    /// Reads the inbox until cancelled.
    public func run() async {
        while !Task.isCancelled {
            do { _ = try await importWaiting() } catch {
                logger.error("the X12 inbox could not be read", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(Int(intervalSeconds * 1000)))
        }
    }

    /// Imports every file waiting in the inbox now.
    /// - Returns: the names of the files imported and of those refused.
    /// - Throws: a file-system error on the inbox itself.
    @discardableResult
    public func importWaiting() async throws -> (imported: [String], refused: [String]) {
        let files = FileManager.default
        let processing = inbox.appendingPathComponent("processing")
        for folder in [
            inbox, processing, inbox.appendingPathComponent("processed"), inbox.appendingPathComponent("refused"),
        ] {
            try files.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try putBackAbandoned(processing)
        var imported: [String] = []
        var refused: [String] = []
        for name in try files.contentsOfDirectory(atPath: inbox.path).sorted() where !name.hasPrefix(".") {
            let source = inbox.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard files.fileExists(atPath: source.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let claimed = processing.appendingPathComponent(name)
            // Another process took it first: its rename won.
            guard (try? files.moveItem(at: source, to: claimed)) != nil else { continue }
            // Stamped now: a rename keeps the clearinghouse's time, and an old file would look abandoned.
            try? files.setAttributes([.modificationDate: Date()], ofItemAtPath: claimed.path)
            do {
                let text = try String(contentsOf: claimed, encoding: .utf8)
                let report = try await remittances.importFile(text, name: name)
                try await audit.append(
                    Self.auditRecord(of: report, file: name, actor: "system:x12-inbox"))
                try move(claimed, to: inbox.appendingPathComponent("processed").appendingPathComponent(name))
                imported.append(name)
                logger.info("X12 file imported", metadata: ["file": "\(name)"])
            } catch let error as X12Error {
                try refuse(claimed, name: name, reason: error.description)
                refused.append(name)
            } catch let error where Self.isFileError(error) {
                try refuse(claimed, name: name, reason: "the file cannot be read as UTF-8 text (\(error))")
                refused.append(name)
            } catch {
                // The database or the claims, not the file: back to the inbox for the next round;
                // the files after it are still read.
                try? files.moveItem(at: claimed, to: source)
                logger.error(
                    "an X12 file could not be imported now", metadata: ["file": "\(name)", "error": "\(error)"])
            }
        }
        return (imported, refused)
    }

    /// The audit entry of an imported file (`x12.import`, resource `x12-file`): the trace numbers of
    /// its 835s and 271 answers and the control numbers its 999 acknowledged.
    public static func auditRecord(of report: RemittancePoster.Report, file: String, actor: String)
        -> AuditTrail.Record
    {
        AuditTrail.Record(
            actor: actor, action: "x12.import", resourceType: "x12-file", resourceID: file, outcome: "success",
            changes: [
                "remittances": AuditChange(
                    before: nil, after: report.remittances.map(\.traceNumber).joined(separator: ",")),
                "acknowledgments": AuditChange(
                    before: nil, after: report.acknowledgments.map(\.controlNumber).joined(separator: ",")),
                "eligibility_answers": AuditChange(
                    before: nil, after: report.eligibilityAnswers.map(\.traceNumber).joined(separator: ",")),
            ].filter { $0.value.after != "" })
    }

    /// Moves a refused file to `refused/` with its reason beside it.
    private func refuse(_ file: URL, name: String, reason: String) throws {
        let folder = inbox.appendingPathComponent("refused")
        try move(file, to: folder.appendingPathComponent(name))
        try Data((reason + "\n").utf8).write(to: folder.appendingPathComponent("\(name).error.txt"), options: .atomic)
        logger.warning("X12 file refused", metadata: ["file": "\(name)", "reason": "\(reason)"])
    }

    /// Moves a file, replacing one of the same name (a file sent again).
    private func move(_ file: URL, to target: URL) throws {
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: file, to: target)
    }

    /// Puts files a crashed process left in `processing/` for over ten minutes back in the inbox.
    private func putBackAbandoned(_ processing: URL) throws {
        let files = FileManager.default
        for name in try files.contentsOfDirectory(atPath: processing.path) {
            let file = processing.appendingPathComponent(name)
            let modified = (try? files.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? Date()
            if Date().timeIntervalSince(modified) > 600 {
                try? files.moveItem(at: file, to: inbox.appendingPathComponent(name))
            }
        }
    }

    /// Whether an error is about the file itself (unreadable, not UTF-8), not the database.
    private static func isFileError(_ error: any Error) -> Bool {
        (error as NSError).domain == NSCocoaErrorDomain
    }
}
