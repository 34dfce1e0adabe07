/// The sandbox's participant registry and its record of seen `api_call_id`s.
public actor SandboxRegistry {
    private var participants: [String: SandboxParticipant] = [:]
    private var seenAPICallIDs: Set<String> = []

    public init() {}

    /// Adds or replaces a participant.
    public func register(_ participant: SandboxParticipant) {
        participants[participant.code] = participant
    }

    /// The participant with this code, if registered.
    public func participant(_ code: String) -> SandboxParticipant? { participants[code] }

    /// Records an `api_call_id`.
    /// - Returns: `false` when it was seen before (a duplicate the gateway must refuse).
    func recordAPICallID(_ id: String) -> Bool { seenAPICallIDs.insert(id).inserted }
}
