import Foundation
import Testing
import Vapor
import VaporTesting

@testable import RCMServer

@Suite(.serialized) struct HealthTests {
    @Test(arguments: TestDatabase.available)
    func readyIs503BeforeMigrationsAnd200After(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.testing().test(.GET, "health/live") { response async throws in
                    #expect(response.status == .ok)
                    #expect(try response.content.decode([String: String].self) == ["status": "live"])
                }
                try await app.testing().test(.GET, "health/ready") { response async throws in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers.contentType?.description == "application/problem+json")
                    let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                    #expect(problem.status == 503)
                    #expect(
                        problem.detail
                            == "18 migration(s) pending: 0001_create_claims, 0002_create_workflow_tables, "
                            + "0003_create_hcx_messages, 0004_add_workflow_leases_and_logs, 0005_create_payments, "
                            + "0006_create_eligibility_checks, 0007_create_security_tables, 0008_create_denial_actions, "
                            + "0009_create_payer_configs, 0010_add_workflow_queue_index, 0011_add_claim_list_index, "
                            + "0012_create_console_sessions, 0013_create_analytics_summary, 0014_add_claim_lookup_indexes, "
                            + "0015_add_denial_queue_columns, 0016_add_payer_transport, "
                            + "0017_create_x12_submissions, 0018_create_x12_remittances; run `rcm migrate --yes`"
                    )
                }
                try await app.autoMigrate()
                try await app.testing().test(.GET, "health/ready") { response async throws in
                    #expect(response.status == .ok)
                    #expect(try response.content.decode([String: String].self) == ["status": "ready"])
                }
            }
        }
    }

    @Test func readyIs503WhenTheDatabaseIsDown() async throws {
        let configuration = try RCMConfiguration(environment: [
            "DATABASE_URL": "postgres://rcm:pw@127.0.0.1:1/rcm?sslmode=disable"
        ])
        try await TestDatabase.withApp(configuration) { app in
            try await app.testing().test(.GET, "health/ready") { response async throws in
                #expect(response.status == .serviceUnavailable)
                let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                #expect(problem.detail == "cannot reach PostgreSQL at 127.0.0.1:1 (connection refused)")
            }
        }
    }

    @Test func unknownRoutesAnswerProblemJSON() async throws {
        let configuration = try RCMConfiguration(environment: [
            "DATABASE_URL": "sqlite:///tmp/rcm-unused-\(UUID()).sqlite"
        ])
        try await TestDatabase.withApp(configuration) { app in
            try await app.testing().test(.GET, "no/such/route") { response async throws in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType?.description == "application/problem+json")
                let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                #expect(problem.status == 404)
                #expect(problem.title == "Not Found")
            }
        }
    }
}
