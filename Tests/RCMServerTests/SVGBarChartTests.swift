import Foundation
import Testing

@testable import RCMServer

/// The console's server-rendered charts: accessible, escaped, scaled to the largest bar.
@Suite struct SVGBarChartTests {
    @Test func barsAreScaledToTheLargestAndEveryFigureIsNamed() throws {
        let chart = SVGBarChart(
            title: "Open A/R by age (INR)",
            bars: [
                .init(label: "0-30", value: 0, shown: "INR 0.00"),
                .init(label: "31-60", value: 8500, shown: "INR 8500.00"),
                .init(label: "over-120", value: 850, shown: "INR 850.00"),
            ], id: "aging")
        let svg = chart.svg
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains(#"role="img""#))
        #expect(svg.contains(#"aria-labelledby="aging-title aging-desc""#))
        #expect(svg.contains(#"<title id="aging-title">Open A/R by age (INR)</title>"#))
        #expect(svg.contains("<desc id=\"aging-desc\">0-30: INR 0.00; 31-60: INR 8500.00; over-120: INR 850.00</desc>"))
        let room = SVGBarChart.width - SVGBarChart.labelWidth - SVGBarChart.valueWidth
        #expect(svg.contains(#"width="\#(room)" height"#), "the largest bar fills the room")
        #expect(svg.contains(#"width="\#(room / 10)" height"#), "a tenth of the largest, a tenth of the room")
        #expect(svg.contains(#"<rect x="150" y="8" width="0""#), "a zero bar has no length")
        #expect(!svg.contains("<script"))
    }

    @Test func textIsEscapedAndAnEmptyChartSaysSo() {
        let hostile = SVGBarChart(
            title: "Payers <script>alert(1)</script>",
            bars: [.init(label: "<script>alert('x')</script> & \"co\"", value: 1, shown: "1")], id: "p\"x")
        let svg = hostile.svg
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"))
        #expect(svg.contains(#"aria-labelledby="p&quot;x-title p&quot;x-desc""#))
        let empty = SVGBarChart(title: "Denials by payer", bars: [], id: "denials").svg
        #expect(empty.contains("No data for this period."))
        #expect(empty.contains("<desc id=\"denials-desc\">No data.</desc>"))
    }
}
