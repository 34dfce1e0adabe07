/// How far the main job is (``ClaimBatchProcessor/process(_:waitSeconds:chargemaster:asOf:concurrency:progress:onProgress:)``),
/// for a progress display.
public struct ProcessingProgress: Sendable, Hashable {
    /// The two phases of a run.
    public enum Phase: Sendable, Hashable {
        /// Input entries taken in and their claims' workflows started (`done` of `total` entries,
        /// counting entries refused or found to be duplicates).
        case takingIn
        /// Claims whose workflow has stopped or whose wait ended (`done` of `total` claims).
        case awaitingAnswers
    }

    public let phase: Phase
    public let done: Int
    public let total: Int

    public init(phase: Phase, done: Int, total: Int) {
        self.phase = phase
        self.done = done
        self.total = total
    }

    /// `done / total`, 0…1 (1 when there is nothing to do).
    public var fraction: Double { total == 0 ? 1 : min(1, Double(done) / Double(total)) }
}
