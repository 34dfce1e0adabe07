import Vapor

/// `GET /openapi.json` (the contract, ``OpenAPIDocument``: open, cacheable, with an ETag) and
/// `GET /docs` (``APIReferencePage``, with the console's security headers). Both open
/// (``AccessPolicy/open``).
struct OpenAPIController: Sendable {
    let document: OpenAPIDocument

    func register(_ app: Application) {
        app.get("openapi.json") { request in
            if request.headers.first(name: .ifNoneMatch) == document.etag {
                return Response(status: .notModified, headers: ["ETag": document.etag])
            }
            return Response(
                status: .ok,
                headers: [
                    "Content-Type": "application/json", "Cache-Control": "public, max-age=300", "ETag": document.etag,
                ],
                body: .init(data: document.data))
        }
        let page = APIReferencePage((try? document.json()) ?? [:])
        app.grouped(ConsoleSecurityHeaders()).get("docs") { request in
            try await ConsoleController.render(request, "api-reference", page)
        }
    }
}
