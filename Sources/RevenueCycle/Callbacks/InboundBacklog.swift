import Foundation
import HCX
import Logging

/// The inbound messages of one operation that were recorded but not processed — what a crash
/// between receipt and processing leaves behind — handed to their processor, oldest first.
enum InboundBacklog {
    /// Processes each such message; a failure is logged and the next one goes on.
    /// - Returns: how many messages were handed on.
    static func process(
        _ operation: HCXOperation, messages: any HCXMessageLog, logger: Logger,
        _ handle: (HCXInboundMessage) async throws -> Void
    ) async throws -> Int {
        var count = 0
        for record in try await messages.unprocessedInbound(operation) {
            do {
                try await handle(try HCXInboundMessage(body: Data(record.body.utf8)))
            } catch {
                logger.warning(
                    "recorded \(operation.label) message could not be processed",
                    metadata: ["api_call_id": "\(record.apiCallID)", "error": "\(error)"])
            }
            count += 1
        }
        return count
    }
}
