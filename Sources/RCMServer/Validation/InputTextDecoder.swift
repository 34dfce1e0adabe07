import FHIR
import Foundation
import RCMCore
import Vapor

/// The JSON content decoder of every route (`request.content.decode`): the body is checked against
/// ``RCMCore/InputText``'s rule (``FHIR/JSONValue/inputTextProblems(limit:)``) before the route's
/// own decoder reads it, so no route can forget the rule.
/// - Throws: ``InputTextRefusal`` (answered 422 with a field error per string) when a string breaks
///   the rule; the base decoder's errors otherwise.
struct InputTextDecoder: ContentDecoder {
    let base: any ContentDecoder

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(decodable, from: body, headers: headers, userInfo: [:])
    }

    func decode<D: Decodable>(
        _ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders, userInfo: [CodingUserInfoKey: any Sendable]
    ) throws -> D {
        // A body that is not JSON is left to the base decoder, whose error names the field.
        if let json = try? JSONValue(parsing: Data(buffer: body)) {
            let problems = json.inputTextProblems()
            if !problems.isEmpty {
                throw InputTextRefusal(errors: problems.map { .init(field: $0.field, message: $0.message) })
            }
        }
        return try base.decode(decodable, from: body, headers: headers, userInfo: userInfo)
    }

    /// Installs the decoder for `application/json` in front of the one configured.
    static func install() {
        guard let base = try? ContentConfiguration.global.requireDecoder(for: .json), !(base is Self) else { return }
        ContentConfiguration.global.use(decoder: InputTextDecoder(base: base), for: .json)
    }
}
