import ArgumentParser
import Foundation
import HCXSandbox
import RCMCore
import RCMServer
import RevenueCycle
import Vapor

/// `rcm process [--json] INPUT…`: the main job on the embedded default.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract:
            "Run encounters and HCX claim bundles through the claim workflow (embedded HCX sandbox, or HCX_BASE_URL).",
        discussion: """
            Each INPUT is a file holding one JSON value, a JSON array, or NDJSON (one value per line), where each \
            value is an encounter of RCM's format (docs/integrating.md "Encounter input format") or an HCX ClaimRequestBundle \
            (FHIR R4); a folder (its *.json and *.ndjson files); or - for standard input. Each claim is stored, encrypted as a JWE, sent over HTTP \
            to the payer (the in-process sandbox, or through the gateway HCX_BASE_URL names, with the callback \
            server on --hostname/--port), and its adjudication recorded. A claim already taken in (same \
            identifier and content) is reported as a duplicate input, not taken in twice. On SQLite the database \
            is migrated first when needed. A claim whose workflow failed earlier is resumed. Exit status: 1 when \
            an input could not be read; otherwise 2 when a claim is failed or still pending at the end; otherwise 0.
            """)

    @ArgumentParser.Flag(help: "Print the report as JSON instead of text.")
    var json = false

    @ArgumentParser.Option(help: "With HCX_BASE_URL: address the callback server listens on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(help: "With HCX_BASE_URL: port of the callback server (the gateway's endpoint_url for us).")
    var port = 8000

    @ArgumentParser.Option(
        help: ArgumentHelp(
            "Chargemaster CSV (system,code,description,unit_price,currency) pricing FHIR clinical bundles.",
            discussion: "Default: RCM_CHARGEMASTER, else samples/chargemaster.csv when it exists in the current folder."
        ))
    var chargemaster: String?

    @ArgumentParser.Option(help: "The embedded sandbox payer's rules file (overrides RCM_SANDBOX_RULES).")
    var rules: String?

    @ArgumentParser.Option(
        help:
            "Seconds to wait for the payers' answers after the last submission (overrides RCM_ADJUDICATION_TIMEOUT_SECONDS)."
    )
    var timeout: Double?

    @ArgumentParser.Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "The day (YYYY-MM-DD) the scrub edits take as today: the date-of-service-in-the-future and timely-filing edits.",
            discussion:
                "For billing a backlog as of the day it is billed, or re-running dated samples. Default: the facility's date (Asia/Kolkata). A claim taken in by an earlier run keeps the day its run started with.",
            valueName: "date"))
    var asOf: String?

    @ArgumentParser.Option(help: "How many claims run through their workflow at once (1–64).")
    var concurrency = 8

    @ArgumentParser.Argument(help: "Encounter or claim bundle files, folders, or - for standard input.")
    var inputs: [String]

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("name at least one input file or folder") }
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535, got \(port)")
        }
        if let asOf, (try? ServiceDate(day: asOf)) == nil {
            throw ValidationError("--as-of must be a calendar date YYYY-MM-DD, got '\(asOf)'")
        }
        guard (1...64).contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 64, got \(concurrency)")
        }
        if let timeout, !(timeout > 0 && timeout <= 86_400) {
            throw ValidationError("--timeout must be a number of seconds between 0 and 86400, got \(timeout)")
        }
    }

    func run() async throws {
        var configuration = try RuntimeBootstrap.configuration(defaultLevel: .warning)
        if let rules { configuration.sandboxRulesPath = rules }
        if let timeout { configuration.adjudicationTimeoutSeconds = timeout }
        let claimInputs = ClaimInputReader.read(inputs)
        let sandboxRules = try ClaimRuntime.rules(configuration)
        let prices = try ChargemasterFile.load(
            chargemaster ?? configuration.chargemasterPath, fallback: "samples/chargemaster.csv")
        let today = try asOf.map(ServiceDate.init(day:))
        let display = ProgressDisplay(ProgressDisplay.mode(json: json))
        let report: ProcessingReport
        do {
            report = try await RuntimeBootstrap.withApplication(configuration, exclusive: true) { app in
                try await SchemaMigrations.migrateEmbeddedDatabase(app, configuration)
                return try await ClaimRuntime.run(
                    app: app, configuration: configuration, sandboxRules: sandboxRules, callbackHost: hostname,
                    callbackPort: port
                ) { runtime in
                    try await runtime.services.processor.process(
                        claimInputs, waitSeconds: configuration.adjudicationTimeoutSeconds, chargemaster: prices,
                        asOf: today, concurrency: concurrency,
                        progress: display.note, onProgress: display.update)
                }
            }
            display.finish(succeeded: true)
        } catch {
            display.finish(succeeded: false)
            throw error
        }
        print(json ? try ProcessingReportFormatter.json(report) : ProcessingReportFormatter.text(report))
        if !report.errors.isEmpty { throw ExitCode(1) }
        if report.outcomes[.failed, default: 0] + report.outcomes[.pending, default: 0] > 0 { throw ExitCode(2) }
    }
}
