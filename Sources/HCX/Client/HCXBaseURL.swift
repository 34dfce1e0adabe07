/// A gateway base URL as configured (`http://127.0.0.1:53117/v0.7/`), without trailing slashes,
/// so that paths such as `/claim/submit` can be appended.
enum HCXBaseURL {
    static func normalized(_ url: String) -> String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}
