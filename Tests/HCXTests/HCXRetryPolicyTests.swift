import Testing

@testable import HCX

@Suite struct HCXRetryPolicyTests {
    @Test func delaysGrowExponentiallyWithinTheJitterAndTheCap() {
        let policy = HCXRetryPolicy(
            maxAttempts: 5, initialDelaySeconds: 0.5, multiplier: 2, maxDelaySeconds: 3, jitter: 0.2)
        #expect(policy.delaySeconds(beforeRetry: 1, random: 0.5) == 0.5)
        #expect(policy.delaySeconds(beforeRetry: 2, random: 0.5) == 1)
        #expect(policy.delaySeconds(beforeRetry: 3, random: 0.5) == 2)
        #expect(policy.delaySeconds(beforeRetry: 4, random: 0.5) == 3)
        #expect(policy.delaySeconds(beforeRetry: 2, random: 0) == 0.8)
        #expect(policy.delaySeconds(beforeRetry: 2, random: 1) == 1.2)
        #expect(HCXRetryPolicy.none.maxAttempts == 1)
        #expect(HCXRetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }
}
