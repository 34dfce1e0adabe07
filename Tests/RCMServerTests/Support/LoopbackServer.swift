import Vapor

/// A Vapor application serving on an ephemeral loopback port, for tests that need a real HTTP peer
/// (a gateway stand-in).
final class LoopbackServer: Sendable {
    let app: Application
    /// `http://127.0.0.1:<port>/v0.7`.
    let baseURL: String

    /// Starts a server whose routes `routes` registers.
    init(_ routes: (Application) throws -> Void) async throws {
        app = try await Application.make(.testing)
        try routes(app)
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        baseURL = "http://127.0.0.1:\(app.http.server.shared.localAddress!.port!)/v0.7"
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}
