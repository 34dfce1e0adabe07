/// What a participant logs in to the gateway with, form-encoded to
/// `/participant/auth/token/generate` (hcx-platform `JWTController`; docs
/// reference/hcx-protocol.md §4.5): an API-access user (`participant_code` + `username` + `secret`)
/// or a participant login (`username` + `password`).
public enum HCXCredentials: Sendable, Hashable {
    case apiAccess(participantCode: String, username: String, secret: String)
    case participant(username: String, password: String)

    /// The form fields.
    var formFields: [(String, String)] {
        switch self {
        case .apiAccess(let participantCode, let username, let secret):
            [("participant_code", participantCode), ("username", username), ("secret", secret)]
        case .participant(let username, let password):
            [("username", username), ("password", password)]
        }
    }
}
