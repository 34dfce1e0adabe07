import Foundation
import HCX
import RCMCore
import RevenueCycle
import Testing
import Vapor
import VaporTesting

@testable import RCMServer

/// The OpenAPI document (``OpenAPIDocument``) and the routes agree both ways, and it is served as
/// JSON, as a reference page and by `rcm openapi`. (Its bodies are checked against the live
/// server's answers by Schemathesis in CI.)
@Suite struct OpenAPIContractTests {
    /// An application with every route `rcm serve` registers when HCX is configured.
    func withEveryRoute(_ body: (Application) async throws -> Void) async throws {
        try await SecurityTests().withServerApp(.sqlite, console: true) { app, _ in try await body(app) }
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() async throws {
        try await withEveryRoute { app in
            let registered = Set(
                app.routes.all.filter { $0.userInfo[ConsoleController.consoleKey] == nil }.map {
                    AccessPolicy.key(method: $0.method, path: $0.path)
                })
            let documented = try OpenAPIDocument.load().operationKeys()
            #expect(registered.subtracting(documented).sorted() == [], "routes missing from the document")
            #expect(documented.subtracting(registered).sorted() == [], "documented operations no route serves")
            #expect(registered.count > 30)
            // The console's pages are left out on purpose, and only they.
            let console = app.routes.all.filter { $0.userInfo[ConsoleController.consoleKey] != nil }
            #expect(console.allSatisfy { !$0.path.map(\.description).joined(separator: "/").hasPrefix("api/") })
        }
    }

    /// Every list of code systems in the document is the list the server knows
    /// (`CodeSystem.allCases`): a system added to RCM and left out of the contract made
    /// Schemathesis refuse the server's answers.
    @Test func theCodeSystemsListedAreTheOnesTheServerKnows() throws {
        let known = CodeSystem.allCases.map(\.rawValue)
        var lists: [[String]] = []
        func walk(_ node: Any) {
            if let object = node as? [String: Any] {
                if let values = object["enum"] as? [String], values.contains("icd-10-cm") { lists.append(values) }
                object.values.forEach(walk)
            } else if let array = node as? [Any] {
                array.forEach(walk)
            }
        }
        walk(try OpenAPIDocument.load().json())
        #expect(lists.count == 4)
        for list in lists { #expect(list == known) }
    }

    @Test func theDocumentIsServedOpenCacheableAndAsAReferencePage() async throws {
        try await withEveryRoute { app in
            let document = try OpenAPIDocument.load()
            var etag = ""
            try await app.testing().test(.GET, "openapi.json") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .json)
                #expect(response.headers.first(name: .cacheControl) == "public, max-age=300")
                etag = response.headers.first(name: .eTag) ?? ""
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(json?["openapi"] as? String == "3.1.0")
            }
            #expect(etag == document.etag)
            try await app.testing().test(.GET, "openapi.json", headers: ["If-None-Match": etag]) { response in
                #expect(response.status == .notModified)
            }
            try await app.testing().test(.GET, "docs") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "html")
                #expect(response.headers.first(name: "Content-Security-Policy")?.contains("default-src 'none'") == true)
                let page = response.body.string
                #expect(page.contains(#"<code>/api/v1/claims/{id}</code>"#))
                #expect(page.contains(#"id="schema-ProblemDetails""#))
                #expect(!page.contains("<script>"))
                // Nothing fetched from elsewhere: no script, style sheet or image from another host.
                #expect(!page.contains(#"src="http"#) && !page.contains(#"src="//"#))
                #expect(
                    !page.contains(#"rel="stylesheet" href="http"#) && !page.contains(#"rel="stylesheet" href="//"#))
            }
        }
    }

    @Test func rcmOpenAPIPrintsTheDocument() async throws {
        let printed = try await CommandLineTests.run(["openapi"], environment: [:])
        #expect(printed.status == 0)
        #expect(Data(printed.stdout.utf8) == (try OpenAPIDocument.load().data))
    }
}
