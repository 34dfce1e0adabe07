import Foundation
import Glibc
import RCMServer
import Testing
import Vapor
import VaporTesting

@testable import rcm

/// The Dockerfile and `k8s/deployment.yaml` start real `rcm` subcommands, probe routes the service
/// serves on the port it listens on, and the service shuts down as the manifests expect.
@Suite struct DeploymentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every `args: [...]` of the manifests and the Dockerfile's `CMD [...]` (JSON arrays).
    static func commandLines() throws -> [[String]] {
        let manifest = try text("k8s/deployment.yaml")
        let dockerfile = try text("Dockerfile")
        let arrays =
            manifest.matches(of: try Regex(#"(?m)^\s*args:\s*(\[.*\])\s*$"#)).map { String(manifest[$0.range]) }
            + dockerfile.matches(of: try Regex(#"(?m)^CMD\s*(\[.*\])\s*$"#)).map { String(dockerfile[$0.range]) }
        return try arrays.map { line in
            let json = String(line[line.firstIndex(of: "[")!...])
            return try JSONDecoder().decode([String].self, from: Data(json.utf8))
        }
    }

    @Test func theManifestsStartRealSubcommandsOnTheServedPort() throws {
        let commands = try Self.commandLines()
        #expect(Set(commands.compactMap(\.first)) == ["serve", "worker", "migrate"])
        for arguments in commands {
            #expect(throws: Never.self, "\(arguments)") { _ = try RCMCommand.parseAsRoot(arguments) }
            if let serve = try RCMCommand.parseAsRoot(arguments) as? rcm.ServeCommand {
                #expect(serve.port == 8000)
                #expect(serve.hostname == "0.0.0.0")
            }
        }
        let manifest = try Self.text("k8s/deployment.yaml")
        let dockerfile = try Self.text("Dockerfile")
        #expect(dockerfile.contains("EXPOSE 8000"))
        // Every port is the served one, except the Service's own port 80.
        let ports = manifest.matches(of: try Regex(#"(containerPort|targetPort|port): "?([0-9]+)"#)).map {
            String(manifest[$0.range]).filter(\.isNumber)
        }
        #expect(!ports.isEmpty)
        #expect(Set(ports) == ["8000", "80"])
        #expect(manifest.contains(#"prometheus.io/path: "/metrics""#))
        // The grace period covers the preStop delay plus the server's drain time.
        #expect(manifest.contains(#"command: ["/bin/sleep", "5"]"#))
        let grace = manifest.matches(of: try Regex(#"terminationGracePeriodSeconds: ([0-9]+)"#)).map {
            Int(String(manifest[$0.range]).filter(\.isNumber))
        }
        #expect(!grace.isEmpty)
        #expect(grace.allSatisfy { $0 == 5 + rcm.ServeCommand.drainSeconds })
    }

    @Test func everyProbePathIsARouteOfTheService() async throws {
        let manifest = try Self.text("k8s/deployment.yaml")
        let dockerfile = try Self.text("Dockerfile")
        let paths =
            manifest.matches(of: try Regex(#"path: (/[a-z/]+), port: 8000"#)).map {
                String(String(manifest[$0.range]).dropFirst("path: ".count).prefix { $0 != "," })
            }
            + dockerfile.matches(of: try Regex(#"http://127\.0\.0\.1:8000(/[a-z/]+)"#)).map {
                String(String(dockerfile[$0.range]).dropFirst("http://127.0.0.1:8000".count))
            }
        #expect(Set(paths) == ["/health/live", "/health/ready"])
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                for path in Set(paths + ["/metrics"]) {
                    try await app.testing().test(.GET, path) { response async throws in
                        #expect(response.status == .ok, "\(path)")
                    }
                }
            }
        }
    }

    @Test func sigtermLetsAnInFlightRequestFinishThenTheServerExits() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let port = try CommandLineTests.freePort()
        let environment = [
            "PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite://\(scratch.path)/rcm.sqlite",
            "RCM_KEYS_DIR": "\(scratch.path)/keys",
        ]
        #expect(try await CommandLineTests.run(["migrate", "--yes"], environment: environment).status == 0)
        let server = Process()
        server.executableURL = CommandLineTests.binary
        server.arguments = ["serve", "--port", "\(port)"]
        server.environment = environment
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }

        // Connect once the server listens.
        var connection: Int32 = -1
        for _ in 0..<200 {
            connection = try Self.connect(port: port)
            if connection >= 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(connection >= 0, "the server did not start listening")
        defer { close(connection) }
        // Half a request: the headers promise a body that has not all arrived yet.
        let body = #"{"refresh_token":"graceful-shutdown-test"}"#
        try Self.send(
            connection,
            "POST /api/v1/auth/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n" + String(body.prefix(10)))
        try await Task.sleep(for: .milliseconds(300))
        kill(server.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(500))
        // The server stopped accepting but still finishes the request in flight.
        #expect(try Self.connect(port: port) < 0)
        try Self.send(connection, String(body.dropFirst(10)))
        let response = Self.receiveAll(connection)
        // The complete answer of the route (a logout writes to the database: still open).
        #expect(response.hasPrefix("HTTP/1.1 204 No Content"), "\(response)")
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
    }

    /// A connected TCP socket to 127.0.0.1:`port`, or -1 when nothing listens.
    static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        if connected { return socket }
        close(socket)
        return -1
    }

    static func send(_ socket: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(socket, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// Everything the peer sends until it closes the connection (at most 5 s).
    static func receiveAll(_ socket: Int32) -> String {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
