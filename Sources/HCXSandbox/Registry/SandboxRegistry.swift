/// The sandbox's participant registry.
public actor SandboxRegistry {
    private var participants: [String: SandboxParticipant] = [:]

    public init() {}

    /// Adds or replaces a participant.
    public func register(_ participant: SandboxParticipant) {
        participants[participant.code] = participant
    }

    /// The participant with this code, if registered.
    public func participant(_ code: String) -> SandboxParticipant? { participants[code] }

    /// The participant these credentials log in as, if they match.
    /// - Parameters:
    ///   - participantCode: given by API-access logins; must then match too.
    func authenticate(username: String, secret: String, participantCode: String?) -> SandboxParticipant? {
        participants.values.first { participant in
            participant.username == username && participant.secret == secret
                && (participantCode == nil || participantCode == participant.code)
        }
    }
}
