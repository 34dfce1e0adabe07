import ArgumentParser
import Foundation
import HCX
import HCXSandbox
import Logging
import RCMServer
import RevenueCycle

/// `rcm sandbox`: the HCX sandbox as a standalone server (gateway and payer), for demos and for
/// running RCM against a gateway over the network.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the HCX sandbox (gateway and payer) until interrupted.",
        discussion: """
            Keys come from RCM_KEYS_DIR (generated on first use): the gateway signs with sandbox-gateway, the \
            payer (HCX_RECIPIENT_CODE) decrypts with sandbox-payer, and the provider HCX_PARTICIPANT_CODE is \
            registered with the certificate provider.cert.pem and --provider-endpoint as its endpoint_url. \
            The provider logs in with HCX_USERNAME (default rcm) and HCX_SECRET (printed when generated). \
            State is kept in --state; an interrupted run's deliveries, answers and payments are finished on start. \
            With RCM_X12_SETTINGS the sandbox also plays the clearinghouse of X12 payers: it answers the 270 and \
            837P files RCM drops in the settings' outbox with 999, 271 and 835 files in its inbox (docs/billing.md \
            "X12 payers").
            """)

    @ArgumentParser.Option(help: "Address to listen on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(help: "TCP port to listen on (0 picks a free one).")
    var port = 8090

    @ArgumentParser.Option(help: "Rules file (JSON); default: the documented default, as sandbox/rules.json.")
    var rules: String?

    @ArgumentParser.Option(help: "SQLite state file, or 'memory'.")
    var state = "./.rcm/sandbox-server.sqlite"

    @ArgumentParser.Option(help: "Seed of the fault sequence (overrides the rules file's faults.seed).")
    var seed: UInt64?

    @ArgumentParser.Option(help: "The provider's endpoint_url: where callbacks are delivered (with version prefix).")
    var providerEndpoint = "http://127.0.0.1:8000/v0.7"

    func validate() throws {
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535, got \(port)")
        }
        guard let url = URLComponents(string: providerEndpoint), ["http", "https"].contains(url.scheme ?? ""),
            !(url.host ?? "").isEmpty, (1...65_535).contains(url.port ?? 80)
        else {
            throw ValidationError("--provider-endpoint must be an http(s) URL, got \(providerEndpoint)")
        }
    }

    func run() async throws {
        let configuration = try RuntimeBootstrap.configuration(defaultLevel: .info, asGateway: true)
        var rules = try rules.map(SandboxRules.load(contentsOf:)) ?? .default
        if let seed { rules.faults.seed = seed }
        let keys = KeyDirectory(path: configuration.keysDirectory)
        var sandboxConfiguration = try SandboxConfiguration.fromKeyDirectory(
            keys, payerCode: configuration.recipientCode, rules: rules)
        sandboxConfiguration.hostname = hostname
        sandboxConfiguration.port = port
        sandboxConfiguration.versionPrefix = configuration.hcxVersionPrefix
        sandboxConfiguration.maxBodyBytes = configuration.hcxMaxBodyBytes
        if state != "memory" {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: state).deletingLastPathComponent(), withIntermediateDirectories: true)
            sandboxConfiguration.databasePath = state
        }
        // The gateway's certificate, for providers to verify its bearer JWT (HCX_GATEWAY_CERT).
        _ = try keys.certificatePEM(named: "sandbox-gateway", participantCode: sandboxConfiguration.gatewayCode)
        let providerCertificate = try keys.certificatePEM(
            named: "provider", participantCode: configuration.participantCode)
        let username: String
        let secret: String
        var printSecret = false
        switch configuration.hcxCredentials {
        case .apiAccess(_, let name, let value)?: (username, secret) = (name, value)
        case .participant(let name, let value)?: (username, secret) = (name, value)
        case nil:
            // Generated once and kept beside the keys, so a restarted sandbox accepts the same login.
            (username, secret) = ("rcm", try Self.storedSecret(in: configuration.keysDirectory))
            printSecret = true
        }
        let sandbox = try await SandboxServer.start(sandboxConfiguration, logger: Logger(label: "rcm.sandbox"))
        await sandbox.register(
            SandboxParticipant(
                code: configuration.participantCode, name: "RCM provider", roles: ["provider"],
                endpointURL: providerEndpoint, encryptionCertificatePEM: providerCertificate, username: username,
                secret: secret))
        try await sandbox.resumeUnfinishedWork()
        var clearinghouse: Task<Void, Never>?
        var x12Line: String?
        if let path = configuration.x12SettingsPath {
            let settings = try X12Settings.load(path: path)
            let worker = SandboxClearinghouse(
                rules: rules, store: sandbox.store, outbox: settings.outbox, inbox: settings.inbox,
                logger: Logger(label: "rcm.sandbox.x12"))
            clearinghouse = Task { await worker.run() }
            x12Line = "  X12      clearinghouse reading \(settings.outbox.path), answering into \(settings.inbox.path)"
        }
        var lines = [
            "HCX sandbox listening at \(sandbox.baseURL)",
            "  gateway  \(sandboxConfiguration.gatewayCode), certificate "
                + "\(configuration.keysDirectory)/sandbox-gateway.cert.pem",
            "  payer    \(sandboxConfiguration.payerCode)",
            "  provider \(configuration.participantCode) -> \(providerEndpoint), login \(username)",
        ]
        if let x12Line { lines.append(x12Line) }
        if printSecret { lines.append("  export HCX_USERNAME=\(username) HCX_SECRET=\(secret)") }
        // Unbuffered, so that a script reading the output sees it at once.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        await TerminationSignal.wait()
        clearinghouse?.cancel()
        await clearinghouse?.value
        await sandbox.shutdown()
    }

    /// The provider login secret the sandbox generated, from `<keys>/sandbox-provider.secret`
    /// (mode 0600), created on first use.
    static func storedSecret(in keysDirectory: String) throws -> String {
        let url = URL(fileURLWithPath: keysDirectory).appendingPathComponent("sandbox-provider.secret")
        if let stored = try? String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            !stored.isEmpty
        {
            return stored
        }
        let secret = UUID().uuidString.lowercased()
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            try Data(secret.utf8).write(to: url, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        } catch {
            throw OperatorError("\(url.path): cannot write the sandbox login secret (\(error.localizedDescription))")
        }
        return secret
    }
}
