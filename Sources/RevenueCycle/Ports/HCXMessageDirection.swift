/// Whether an HCX message was sent by RCM or received by it.
public enum HCXMessageDirection: String, Sendable, Codable {
    case outbound
    case inbound
}
