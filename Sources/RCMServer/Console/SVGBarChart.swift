import Foundation

/// A bar chart as accessible SVG, rendered by RCM (no script, no external file): `role="img"`
/// with a `<title>` and a `<desc>` naming every bar's figure, and a `<title>` on each bar (the
/// console puts the same figures in a table beside the chart, DESIGN.md §10). Every text is
/// escaped for XML.
struct SVGBarChart: Sendable {
    /// One bar: its label, its value (the bar's length, ≥ 0) and the value as shown (`INR 8,500.00`).
    struct Bar: Sendable, Hashable {
        let label: String
        let value: Decimal
        let shown: String
    }

    /// What the chart shows, e.g. "Open A/R by days from date of service (INR)".
    let title: String
    let bars: [Bar]
    /// The `id` prefix of the title and description (unique on the page).
    let id: String

    static let width = 480
    static let rowHeight = 28
    static let labelWidth = 150
    static let valueWidth = 130

    /// The chart's SVG markup.
    var svg: String {
        let height = max(1, bars.count) * Self.rowHeight + 8
        let largest = bars.map(\.value).max() ?? 0
        let room = Decimal(Self.width - Self.labelWidth - Self.valueWidth)
        let description = bars.isEmpty ? "No data." : bars.map { "\($0.label): \($0.shown)" }.joined(separator: "; ")
        var markup = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \(Self.width) \(height)" \
            width="\(Self.width)" height="\(height)" aria-labelledby="\(Self.escaped(id))-title \(Self.escaped(id))-desc">\
            <title id="\(Self.escaped(id))-title">\(Self.escaped(title))</title>\
            <desc id="\(Self.escaped(id))-desc">\(Self.escaped(description))</desc>
            """
        if bars.isEmpty {
            markup += #"<text x="8" y="20" class="empty">No data for this period.</text>"#
        }
        for (index, bar) in bars.enumerated() {
            let y = 4 + index * Self.rowHeight
            let length = largest > 0 ? max(bar.value, 0) / largest * room : 0
            let pixels = NSDecimalNumber(decimal: length).intValue
            markup += """
                <g class="bar"><title>\(Self.escaped("\(bar.label): \(bar.shown)"))</title>\
                <text x="\(Self.labelWidth - 8)" y="\(y + 18)" text-anchor="end">\(Self.escaped(bar.label))</text>\
                <rect x="\(Self.labelWidth)" y="\(y + 4)" width="\(pixels)" height="\(Self.rowHeight - 8)"></rect>\
                <text x="\(Self.labelWidth + pixels + 6)" y="\(y + 18)">\(Self.escaped(bar.shown))</text></g>
                """
        }
        return markup + "</svg>"
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` as XML character references.
    static func escaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
