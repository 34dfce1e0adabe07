import Foundation
import Testing
import Workflow

@testable import RCMServer
@testable import rcm

/// A process that ends midway (a full disk, SIGKILL) leaves its workflow leases behind. On SQLite,
/// used by one process at a time, the next process releases them at start-up and continues those
/// runs at once; on PostgreSQL they stay until they lapse, since their owners may be alive. (The
/// disk-full test found a claim left PENDING under a dead process's lease: `rcm process` run again
/// could not take it and ended with it pending.)
@Suite struct EndedProcessLeaseTests {
    @Test(arguments: TestDatabase.available)
    func leasesOfAnEndedProcessAreReleasedOnlyOnSQLite(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let store = FluentWorkflowStore(database: app.db)
                let now = Date()
                let held = WorkflowID("claim-held-by-ended-process")
                try await ModelRoundTripTests.startLeasedRun(
                    held, steps: ["intake"], owner: "worker:ended", in: store, at: now)
                let free = WorkflowID("claim-without-lease")
                try await ModelRoundTripTests.startLeasedRun(
                    free, steps: ["intake"], owner: "worker:x", in: store, at: now)
                try await store.releaseLease(free, owner: "worker:x")

                let services = try ClaimServices(
                    app: app, configuration: configuration,
                    hcx: try GatewayConnection.connectionOrUnconfigured(configuration, app: app), codeSets: false)
                try await services.recoverUnfinishedWork()

                let after = try #require(try await store.workflow(held))
                let taken = try await store.acquireLease(held, owner: "worker:next", until: now + 30, now: now)
                switch kind {
                case .sqlite:
                    #expect(after.leaseOwner == nil && after.leaseExpiresAt == nil)
                    #expect(taken)
                case .postgres:
                    #expect(after.leaseOwner == "worker:ended")
                    #expect(!taken)
                }
                #expect(try await store.workflow(free)?.leaseOwner == nil)
                #expect(after.status == .pending)
            }
        }
    }
}
