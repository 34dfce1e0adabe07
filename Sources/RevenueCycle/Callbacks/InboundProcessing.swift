import Foundation
import HCX

extension HCXMessageLog {
    /// Runs `work` on the recorded inbound message `apiCallID`, then marks the message processed
    /// at `now()` (UTC instant).
    ///
    /// A message the protocol refuses — `work` throws ``HCX/HCXProtocolError`` — is marked
    /// processed with that reason, since retrying cannot mend it, and the error is rethrown. Any
    /// other failure (a store error, a crash) leaves it unprocessed for ``InboundBacklog``.
    /// - Throws: what `work` throws, or a store error.
    func process(
        inboundAPICallID apiCallID: String, now: () -> Date, _ work: () async throws -> Void
    ) async throws {
        do {
            try await work()
        } catch let error as HCXProtocolError {
            try await markProcessed(inboundAPICallID: apiCallID, at: now(), error: error.description)
            throw error
        }
        try await markProcessed(inboundAPICallID: apiCallID, at: now(), error: nil)
    }
}
