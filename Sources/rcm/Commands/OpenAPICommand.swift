import ArgumentParser
import Foundation
import RCMServer

/// `rcm openapi`: prints the API's OpenAPI 3.1 document, as `GET /openapi.json` serves it.
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the API's OpenAPI 3.1 document (JSON), as GET /openapi.json serves it.",
        discussion: "For integrators' code generators: rcm openapi > rcm-openapi.json")

    func run() throws {
        FileHandle.standardOutput.write(try OpenAPIDocument.load().data)
    }
}
