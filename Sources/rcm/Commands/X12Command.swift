import ArgumentParser
import Foundation
import RCMCore
import RCMServer
import RevenueCycle
import X12

/// `rcm x12 import FILE…`: the 999 acknowledgments and 835 remittances an X12 payer's
/// clearinghouse returned, acted on (``RevenueCycle/RemittancePoster``) and audited as `cli:<user>`.
struct X12Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "x12",
        abstract: "X12 files from clearinghouses: 999 acknowledgments, 271 eligibility answers, 835 remittances.",
        subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Post 835 remittances, apply 999 acknowledgments and 271 answers (each file whole or not at all).",
            discussion: """
                Each 835 is posted once per payer and trace number (TRN): the same file again reports \
                "already posted". A file that does not parse, or an 835 whose check does not balance, is refused \
                whole with one line naming the segment. Exit status 1 when a file was refused (the others are \
                still read). docs/billing.md "X12 payers".
                """)

        @ArgumentParser.Argument(help: "999, 271 or 835 files.")
        var files: [String]

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("name at least one 999, 271 or 835 file") }
        }

        func run() async throws {
            let configuration = try RuntimeBootstrap.configuration(defaultLevel: .warning)
            let refused = try await RuntimeBootstrap.withMigratedApplication(configuration, exclusive: true) { app in
                // No code sets: the answers only move claims past their eligibility and adjudication
                // waits, never back through the coding review.
                let services = try ClaimServices(
                    app: app, configuration: configuration,
                    hcx: try GatewayConnection.connectionOrUnconfigured(configuration, app: app), codeSets: false)
                var refused = 0
                for file in files {
                    let name = URL(fileURLWithPath: file).lastPathComponent
                    guard let text = Self.text(of: file) else {
                        refused += 1
                        continue
                    }
                    do {
                        let report = try await services.remittances.importFile(text, name: name)
                        try await services.audit.append(
                            X12InboxWatcher.auditRecord(of: report, file: name, actor: WorkflowsCommand.actor))
                        print(X12ImportText.describe(report, file: file), terminator: "")
                    } catch let error as X12Error {
                        print("\(file): refused: \(error)")
                        refused += 1
                    }
                }
                return refused
            }
            if refused > 0 { throw ExitCode(1) }
        }

        /// The file's text, or `nil` after printing why it cannot be read.
        static func text(of file: String) -> String? {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) else {
                print("\(file): refused: no such file")
                return nil
            }
            guard !isFolder.boolValue else {
                print("\(file): refused: a folder, not a file")
                return nil
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                print("\(file): refused: cannot be read (permissions, or not a regular file)")
                return nil
            }
            guard let text = String(data: data, encoding: .utf8) else {
                print("\(file): refused: not UTF-8 text (X12 files are ASCII)")
                return nil
            }
            return text
        }
    }
}

/// The text `rcm x12 import` prints for a file.
enum X12ImportText {
    static func describe(_ report: RemittancePoster.Report, file: String) -> String {
        var text = ""
        for ack in report.acknowledgments {
            text += "\(file): 999 set \(ack.controlNumber)"
            text += ack.claimID.map { " (claim \($0))" } ?? " (no claim RCM sent)"
            text += ack.accepted ? ": accepted\n" : ": rejected: \(ack.errors.joined(separator: "; "))\n"
        }
        for answer in report.eligibilityAnswers {
            text += "\(file): 271 for inquiry \(answer.traceNumber)"
            text += answer.claimID.map { " (claim \($0))" } ?? " (no inquiry RCM sent)"
            text += answer.inForce ? ": cover in force\n" : ": not in force: \(answer.description)\n"
        }
        for remittance in report.remittances {
            text +=
                "\(file): 835 trace \(remittance.traceNumber) from \(remittance.payerName), paid \(Money.formatted(remittance.paymentAmount, digits: 2))"
            if remittance.alreadyPosted {
                text += ": already posted, nothing changed\n"
                continue
            }
            text += ", \(remittance.claims.count) claim(s)\n"
            for claim in remittance.claims {
                text += "  \(claim.patientControlNumber)  CLP02 \(claim.status)  paid \(claim.paid)  "
                text +=
                    claim.claimID.map { "claim \($0) \(claim.outcome?.rawValue ?? "")" }
                    ?? "matched no claim: in the unmatched payments queue"
                text += "\n"
            }
            for adjustment in remittance.providerAdjustments {
                text +=
                    "  provider adjustment (PLB) \(adjustment.reason)\(adjustment.reference.map { " \($0)" } ?? "") "
                    + "\(adjustment.amount): kept with the remittance, not applied to any claim\n"
            }
        }
        return text
    }
}
