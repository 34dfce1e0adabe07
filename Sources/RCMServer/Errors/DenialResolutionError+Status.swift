import RCMCore
import Vapor

extension DenialResolutionError {
    /// The status a denial action refused for this reason answers, on the API and in the console:
    /// 422 for a missing reason, 409 for a claim not in the queue or already closed.
    var status: HTTPResponseStatus {
        switch self {
        case .reasonRequired: .unprocessableEntity
        case .notInQueue, .alreadyClosed: .conflict
        }
    }
}
