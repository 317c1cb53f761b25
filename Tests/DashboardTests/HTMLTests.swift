@testable import Dashboard
import Testing

@Suite struct HTMLTests {
    @Test func textAndAttributesAreEscaped() {
        let html = HTML.element("a", [("href", "/x?a=1&b=\"2\""), ("title", "<'>")],
                                [.text("<script>alert(1)</script> & \"q\"")]).rendered
        #expect(html == "<a href=\"/x?a=1&amp;b=&quot;2&quot;\" title=\"&lt;&#39;&gt;\">"
            + "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;</a>")
    }

    @Test func bidiControlsBecomeReferencesAndControlCharactersAreReplaced() {
        let html = HTML.text("a\u{202E}b\u{200F}c\u{2066}d\u{0007}e\u{1B}").rendered
        #expect(html == "a&#x202E;b&#x200F;c&#x2066;d&#xFFFD;e&#xFFFD;")
    }

    @Test func emojiAndOtherTextPassThrough() {
        #expect(HTML.text("héllo 🎉 مرحبا").rendered == "héllo 🎉 مرحبا")
    }

    @Test func nilAttributesAreOmittedAndVoidElementsHaveNoEndTag() {
        let html = HTML.fragment([.element("meta", [("charset", "utf-8"), ("name", nil)]),
                                  .element("br")]).rendered
        #expect(html == "<meta charset=\"utf-8\"><br>")
    }

    @Test func trustedMarkupIsVerbatim() {
        #expect(HTML.element("script", [], [.trusted("if (a < b && c) {}")]).rendered
            == "<script>if (a < b && c) {}</script>")
    }

    @Test func documentHasDoctype() {
        #expect(HTML.element("html").document == "<!DOCTYPE html>\n<html></html>")
    }
}
