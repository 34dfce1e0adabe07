import FHIR
import Foundation
import HCX
import HCXSandbox
import TestSupport
import Testing

/// Faults by seed: the same seed gives the same sequence, and the sandbox does what it decided.
@Suite(.serialized) struct SandboxFaultTests {
    static let mixed = SandboxFaults(
        seed: 42, latencySeconds: [0, 0.02], serverErrorRate: 0.2, timeoutRate: 0.1, dropCallbackRate: 0.2,
        duplicateCallbackRate: 0.2, lateCallbackRate: 0.2, lateSeconds: 0.1, outOfOrderRate: 0.2,
        reorderWindowSeconds: 0.1)

    @Test func theSameSeedGivesTheSameSequence() {
        let first = SandboxFaultPlan(Self.mixed)
        let second = SandboxFaultPlan(Self.mixed)
        for stream in [SandboxFaultPlan.Stream.requests, .callbacks] {
            let a = (0..<500).map { first.decision(stream, index: $0) }
            let b = (0..<500).map { second.decision(stream, index: $0) }
            #expect(a == b)
        }
        var other = Self.mixed
        other.seed = 43
        let changed = (0..<100).map { SandboxFaultPlan(other).decision(.callbacks, index: $0) }
        #expect(changed != (0..<100).map { first.decision(.callbacks, index: $0) })
    }

    @Test func ratesAreHonoured() {
        let plan = SandboxFaultPlan(Self.mixed)
        let callbacks = (0..<10_000).map { plan.decision(.callbacks, index: $0).kind }
        let drops = callbacks.filter { $0 == .drop }.count
        #expect((1_700...2_300).contains(drops))
        #expect(callbacks.contains(.duplicate) && callbacks.contains(.late) && callbacks.contains(.outOfOrder))
        let none = SandboxFaultPlan(SandboxFaults(seed: 42))
        #expect((0..<1_000).allSatisfy { none.decision(.requests, index: $0).kind == .none })
        let always = SandboxFaultPlan(SandboxFaults(seed: 1, serverErrorRate: 1))
        #expect((0..<1_000).allSatisfy { always.decision(.requests, index: $0).kind == .serverError })
    }

    /// Runs `count` eligibility checks one after the other and returns, per check, how many
    /// answers reached the provider, with the decisions the sandbox took.
    private func run(_ faults: SandboxFaults, count: Int) async throws -> (
        delivered: [Int], decisions: [SandboxFaultRecord]
    ) {
        var rules = SandboxRules.default
        rules.faults = faults
        return try await SandboxHarness.with(rules: rules) { harness in
            let request = try JSONEncoder().encode(
                try JSONDecoder().decode(
                    [JSONValue].self,
                    from: try Data(contentsOf: Samples.shared("coverage_eligibility_request_bundles_v0.7.1.json")))[0])
            var delivered: [Int] = []
            for _ in 0..<count {
                let headers = harness.requestHeaders()
                try await harness.send(request, operation: .coverageEligibilityCheck, headers: headers)
                await harness.sandbox.waitUntilIdle()
                delivered.append(
                    try harness.deliveries.filter {
                        try $0.message.headers.correlationID == headers.correlationID
                    }.count)
            }
            return (delivered, await harness.sandbox.faultDecisions())
        }
    }

    @Test(.sharedSamples) func theSameSeedReproducesTheSameRun() async throws {
        var faults = Self.mixed
        // Keep every request accepted so both runs send the same cycles.
        faults.serverErrorRate = 0
        faults.timeoutRate = 0
        let first = try await run(faults, count: 12)
        let second = try await run(faults, count: 12)
        #expect(first.delivered == second.delivered)
        #expect(first.decisions == second.decisions)
        // What was delivered is what was decided: dropped → 0, duplicated → 2, others → 1.
        let callbackKinds = first.decisions.filter { $0.stream == .callbacks }.map(\.decision.kind)
        #expect(callbackKinds.count == 12)
        let expected = callbackKinds.map { kind in kind == .drop ? 0 : kind == .duplicate ? 2 : 1 }
        #expect(first.delivered == expected)
        #expect(expected.contains(0) && expected.contains(2))
    }

    @Test(.sharedSamples) func injectedServerErrorsAreRetriedByTheClient() async throws {
        // A seed whose first request is refused with 503 and whose second is not.
        var faults = SandboxFaults(serverErrorRate: 0.5)
        faults.seed = (0..<1_000).first { seed in
            faults.seed = seed
            let plan = SandboxFaultPlan(faults)
            return plan.decision(.requests, index: 0).kind == .serverError
                && plan.decision(.requests, index: 1).kind == .none
        }!
        var rules = SandboxRules.default
        rules.faults = faults
        try await SandboxHarness.with(rules: rules) { harness in
            let request = try JSONEncoder().encode(
                try JSONDecoder().decode(
                    [JSONValue].self,
                    from: try Data(contentsOf: Samples.shared("coverage_eligibility_request_bundles_v0.7.1.json")))[0])
            let headers = harness.requestHeaders()
            try await harness.send(request, operation: .coverageEligibilityCheck, headers: headers)
            _ = try await harness.delivery(.coverageEligibilityOnCheck) { $0.correlationID == headers.correlationID }
            let counts = try await harness.sandbox.store.counts(apiCallID: headers.apiCallID)
            #expect(counts.refusalsByCode == ["ERR_SERVICE_UNAVAILABLE": 1])
            #expect(counts.accepted == 1)
        }
    }
}
