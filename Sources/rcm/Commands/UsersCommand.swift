import ArgumentParser
import Foundation
import RCMServer
import Vapor

/// `rcm users create|list|disable|enable|api-key`: user administration from the operator's shell.
/// Each change is audited as `cli:<operating-system user>`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Create, list and disable users; issue API keys for service accounts.",
        discussion: """
            The first admin is created explicitly: rcm users create --email you@example.org --role admin \
            (password from standard input, or generated and printed once). There is no default account.
            """,
        subcommands: [Create.self, List.self, Disable.self, Enable.self, APIKey.self])

    /// The operating-system user, as the audit trail's actor (`cli:<user>`).
    static var actor: String { WorkflowsCommand.actor }

    static func withDirectory<T>(
        _ body: (UserDirectory, AuditTrail) async throws -> T
    ) async throws -> T {
        let configuration = try RuntimeBootstrap.configuration(defaultLevel: .warning)
        return try await RuntimeBootstrap.withMigratedApplication(configuration, exclusive: false) { app in
            guard try await SchemaMigrations.status(app).pending.isEmpty else {
                throw ConfigurationError("migrations are pending: run `rcm migrate --yes` first")
            }
            return try await body(
                UserDirectory(database: app.db), AuditTrail(database: app.db, hmacKey: configuration.auditHMACKey))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user (a person with a password, or with --service an account for API keys).")

        @ArgumentParser.Option(help: "The user's e-mail address (the login name).")
        var email: String

        @ArgumentParser.Option(
            parsing: .upToNextOption,
            help: "One or more roles: admin, billing_manager, biller, coder, auditor, read_only.")
        var role: [String]

        @ArgumentParser.Flag(help: "A service account: no password; issue keys with `rcm users api-key`.")
        var service = false

        @ArgumentParser.Flag(help: "Read the password from standard input (first line) instead of generating one.")
        var passwordStdin = false

        func validate() throws {
            guard !role.isEmpty else { throw ValidationError("give at least one --role") }
            for name in role { _ = try Role.named(name) }
            if service, passwordStdin { throw ValidationError("a service account has no password") }
        }

        func run() async throws {
            let roles = try role.map(Role.named)
            var password: String?
            var generated = false
            if !service {
                if passwordStdin {
                    password = readLine(strippingNewline: true) ?? ""
                } else {
                    password = UsersCommand.generatedPassword()
                    generated = true
                }
            }
            let user = try await UsersCommand.withDirectory { users, audit in
                try await audit.change { [email, roles, password] in
                    let user = try await users.create(email: email, roles: roles, password: password)
                    try await audit.append(
                        AuditTrail.Record(
                            actor: UsersCommand.actor, action: "user.create", resourceType: "user",
                            resourceID: user.email, outcome: "success",
                            changes: [
                                "roles": AuditChange(
                                    before: nil, after: roles.map(\.rawValue).sorted().joined(separator: ",")),
                                "kind": AuditChange(before: nil, after: user.kind),
                            ]))
                    return user
                }
            }
            print("created \(user.kind) \(user.email) with roles \(user.roles.map(\.rawValue).joined(separator: ", "))")
            if generated, let password {
                print("password (shown once): \(password)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users with their roles.")

        func run() async throws {
            let users = try await UsersCommand.withDirectory { users, _ in try await users.list() }
            for user in users {
                print(
                    [
                        user.email, user.kind, user.roles.map(\.rawValue).joined(separator: ","),
                        user.disabled ? "disabled" : "enabled",
                    ].joined(separator: "\t"))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a user: its access tokens, refresh tokens and API keys stop working at once.")

        @ArgumentParser.Option(help: "The user's e-mail address.")
        var email: String

        func run() async throws { try await UsersCommand.setDisabled(true, email: email) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")

        @ArgumentParser.Option(help: "The user's e-mail address.")
        var email: String

        func run() async throws { try await UsersCommand.setDisabled(false, email: email) }
    }

    static func setDisabled(_ disabled: Bool, email: String) async throws {
        try await withDirectory { users, audit in
            try await audit.change {
                let before = try await users.setDisabled(disabled, email: email)
                try await audit.append(
                    AuditTrail.Record(
                        actor: actor, action: disabled ? "user.disable" : "user.enable", resourceType: "user",
                        resourceID: email.lowercased(), outcome: "success",
                        changes: ["disabled": AuditChange(before: "\(before)", after: "\(disabled)")]))
            }
        }
        print("\(disabled ? "disabled" : "enabled") \(email.lowercased())")
    }

    struct APIKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "api-key", abstract: "Issue an API key for a user (printed once; stored hashed).")

        @ArgumentParser.Option(help: "The service account's e-mail address.")
        var email: String

        @ArgumentParser.Option(help: "What the key is for, e.g. the integration's name.")
        var name: String

        func run() async throws {
            let key = try await UsersCommand.withDirectory { users, audit in
                try await audit.change { [email, name] in
                    let key = try await users.issueAPIKey(email: email, name: name)
                    try await audit.append(
                        AuditTrail.Record(
                            actor: UsersCommand.actor, action: "api_key.create", resourceType: "user",
                            resourceID: email.lowercased(), outcome: "success",
                            changes: ["api_key": AuditChange(before: nil, after: name)]))
                    return key
                }
            }
            print("API key for \(email.lowercased()) (shown once; send it as Authorization: Bearer <key>):")
            print(key)
        }
    }

    /// 20 random characters from an unambiguous alphabet (about 115 bits).
    static func generatedPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
