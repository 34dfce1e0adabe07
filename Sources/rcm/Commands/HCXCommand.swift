import ArgumentParser

/// `rcm hcx …`: operator tools for HCX envelopes. They boot nothing (no database, no server).
struct HCXCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hcx", abstract: "Operator tools for HCX messages (JWE envelopes).",
        subcommands: [HCXEncryptCommand.self, HCXDecryptCommand.self])
}
