import Vapor

/// The `limit` query parameter of list routes, read strictly: anything but a whole number from 1 to
/// `maximum` answers 400 (rather than silently falling back to the default).
enum QueryLimit {
    static func read(_ request: Request, default fallback: Int, maximum: Int) throws -> Int {
        guard let text = request.query[String.self, at: "limit"] else { return fallback }
        guard let limit = Int(text), (1...maximum).contains(limit) else {
            throw Abort(.badRequest, reason: "limit: '\(text)' is not a whole number between 1 and \(maximum)")
        }
        return limit
    }
}
