@testable import Dashboard
import Testing

@Suite struct CSVRowTests {
    @Test func quotesOnlyWhatRFC4180Requires() {
        #expect(CSVRow([.text("plain"), .number("1"), .text("")]).line == "plain,1,\r\n")
        #expect(CSVRow([.text("a,b"), .text("say \"hi\""), .text("two\nlines"), .text("cr\rhere")]).line
            == "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"\r\n")
        #expect(CSVRow(header: ["id", "text"]).line == "id,text\r\n")
    }

    @Test(arguments: ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\r=x"])
    func formulasInDataArePrefixed(_ cell: String) {
        let line = CSVRow([.text(cell)]).line
        #expect(line.hasPrefix("'") || line.hasPrefix("\"'"), "\(line.debugDescription)")
    }

    @Test func numbersFormattedHereAreLeftAlone() {
        #expect(CSVRow([.number("-0.5000"), .text("-0.5")]).line == "-0.5000,'-0.5\r\n")
        #expect(CSVRow([.text("=HYPERLINK(\"x\",\"y\")")]).line == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"\r\n")
        #expect(CSVRow([.text("é 🎉 ok")]).line == "é 🎉 ok\r\n")
    }
}
