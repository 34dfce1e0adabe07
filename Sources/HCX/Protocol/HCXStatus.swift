/// Values of the `x-hcx-status` header (hcx-specs v0.7 message-structure; docs
/// reference/hcx-protocol.md §4.1).
public enum HCXStatus: String, Sendable, Codable, CaseIterable {
    case requestQueued = "request.queued"
    case requestDispatched = "request.dispatched"
    case responseComplete = "response.complete"
    case responsePartial = "response.partial"
    case responseError = "response.error"
    case responseRedirect = "response.redirect"
}
