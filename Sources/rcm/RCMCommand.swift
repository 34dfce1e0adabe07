import ArgumentParser

/// The `rcm` command line: each subcommand boots only what it needs.
@main
struct RCMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rcm",
        abstract: "Revenue cycle management: turns encounters into paid claims over HCX or X12.",
        subcommands: [
            ProcessCommand.self, ServeCommand.self, WorkerCommand.self, WorkflowsCommand.self, ClaimsCommand.self,
            DenialsCommand.self,
            CodesCommand.self,
            SandboxCommand.self,
            MigrateCommand.self, MigrationsCommand.self,
            HCXCommand.self, UsersCommand.self, AuditCommand.self, PayersCommand.self, ReportCommand.self,
            OpenAPICommand.self, X12Command.self,
        ])
}
