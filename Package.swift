// swift-tools-version: 6.2
// The RCM package: targets and their dependency direction follow docs DESIGN.md §2.
// Versions are the ones the machine's package mirror holds (see the README).
import PackageDescription

let package = Package(
    name: "rcm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rcm", targets: ["rcm"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // The billing office's console: server-rendered HTML (escaped by default, leaf-kit ≥ 1.14.2).
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
    ],
    targets: [
        // Pure domain: money, claims, codes, outcomes. Foundation only.
        .target(name: "RCMCore"),
        // Codable FHIR R4 (4.0.1) resources used by HCX, and domain <-> FHIR mapping.
        .target(name: "FHIR", dependencies: ["RCMCore"]),
        // X12 5010 (837P out, 999 and 835 in): RCM's own tokenizer and writer.
        .target(name: "X12", dependencies: ["RCMCore"]),
        // The system's OpenSSL 3 libcrypto, for the RSA-OAEP private and public operations of JWE
        // (on CPUs with AVX-512 IFMA its RSA-2048 is 2.4 x BoringSSL's; README "Set-up").
        .systemLibrary(
            name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        // HCX protocol: headers, JWE, client, inbound verification.
        .target(
            name: "HCX",
            dependencies: [
                "RCMCore", "FHIR", "COpenSSL",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Generic durable workflow engine; knows nothing about claims.
        .target(
            name: "Workflow",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The revenue-cycle steps ("agents") and the claim workflow definition. No Vapor.
        .target(
            name: "RevenueCycle",
            dependencies: [
                "RCMCore", "FHIR", "HCX", "Workflow", "X12",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // zlib from the system, to read the gzip code-set files under data/.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The service: the only target that knows RCM's database (the sandbox keeps its own SQLite file).
        .target(
            name: "RCMServer",
            dependencies: [
                "RCMCore", "FHIR", "HCX", "Workflow", "RevenueCycle", "X12", "CZlib",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Leaf", package: "leaf"),
            ],
            resources: [.copy("Resources/Views"), .copy("Resources/Public"), .copy("Resources/OpenAPI")]
        ),
        // A local HCX gateway and payer for development, demos and tests.
        .target(
            name: "HCXSandbox",
            dependencies: [
                "RCMCore", "FHIR", "HCX", "X12",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Entry point only.
        .executableTarget(
            name: "rcm",
            dependencies: [
                "RCMServer", "HCXSandbox", "Workflow", "X12",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Benchmark (not a test): Benchmarks/run-jwe-benchmark.sh builds it in release mode.
        .executableTarget(
            name: "rcm-jwe-benchmark",
            dependencies: [
                "HCX", "FHIR", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Benchmarks/JWEBenchmark"
        ),
        // Benchmark (not a test): Benchmarks/run-workflow-benchmark.sh builds it in release mode.
        .executableTarget(
            name: "rcm-workflow-benchmark",
            dependencies: ["RCMServer", "Workflow", .product(name: "Vapor", package: "vapor")],
            path: "Benchmarks/WorkflowBenchmark"
        ),
        // Test support, not shipped: drives the workflow engine in separate processes (crash and
        // multi-worker tests).
        .executableTarget(
            name: "rcm-workflow-probe",
            dependencies: ["RCMServer", "Workflow", .product(name: "Vapor", package: "vapor")],
            path: "Tests/WorkflowProbe"
        ),
        // Test support, not shipped: the shared HCX reference samples, skipped when absent; child
        // processes awaited off Swift's cooperative threads.
        .target(name: "TestSupport", dependencies: ["X12"], path: "Tests/TestSupport"),
        .testTarget(name: "RCMCoreTests", dependencies: ["RCMCore"]),
        .testTarget(name: "FHIRTests", dependencies: ["FHIR", "TestSupport"]),
        .testTarget(name: "HCXTests", dependencies: ["HCX", "FHIR", "RCMCore", "TestSupport"]),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow"]),
        .testTarget(name: "X12Tests", dependencies: ["X12", "RCMCore", "TestSupport"]),
        .testTarget(
            name: "RevenueCycleTests",
            dependencies: ["RevenueCycle", "TestSupport", .product(name: "MetricsTestKit", package: "swift-metrics")]
        ),
        .testTarget(
            name: "RCMServerTests",
            dependencies: [
                "RCMServer", "HCXSandbox", "rcm", "rcm-workflow-probe", "TestSupport",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
