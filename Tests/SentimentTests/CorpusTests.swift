import PipelineModel
import Testing
@testable import Sentiment

@Suite("Corpus parsing and the seeded split")
struct CorpusTests {
    @Test("ground-truth TSV: CRLF, tabs inside the text, gold label from rating/4 with ±0.05")
    func groundTruth() throws {
        let content = "1\t2.7\tSo lucky.\r\n2\t-0.19\tmeh\tstill text\r\n3\t0.19\tok\r\n4\t0.2\tfine\r\n5\t-0.21\tbad"
        let items = try CorpusParser.parseAll(content)
        #expect(items.map(\.id) == ["1", "2", "3", "4", "5"])
        #expect(items[0].text == "So lucky.")
        #expect(items[1].text == "meh\tstill text")
        // 0.19/4 = 0.0475 is neutral; 0.2/4 = 0.05 is positive; −0.21/4 < −0.05 negative.
        #expect(items.map(\.label) == [.positive, .neutral, .neutral, .positive, .negative])
    }

    @Test("JSONL with labels and ids; format detected from the first line")
    func jsonLines() throws {
        let content = """
            {"text": "good", "label": "positive", "id": 7}
            {"text": "bad", "label": "NEGATIVE"}

            """
        let items = try CorpusParser.parseAll(content)
        #expect(items == [LabelledText(id: "7", text: "good", label: .positive),
                          LabelledText(text: "bad", label: .negative)])
    }

    @Test("malformed lines are typed errors that carry the line number")
    func malformed() {
        #expect(throws: CorpusFormatError.self) { try CorpusParser.parse("1\tx\ttext", format: .groundTruth, lineNumber: 3) }
        #expect(throws: CorpusFormatError.self) { try CorpusParser.parse("only\ttwo", format: .groundTruth, lineNumber: 1) }
        #expect(throws: CorpusFormatError.self) { try CorpusParser.parse("{\"text\": 1}", format: .jsonLines, lineNumber: 1) }
        #expect(throws: CorpusFormatError.self) {
            try CorpusParser.parse("{\"text\": \"a\", \"label\": \"happy\"}", format: .jsonLines, lineNumber: 1)
        }
        do {
            _ = try CorpusParser.parse("[1]", format: .jsonLines, lineNumber: 42)
            Issue.record("expected an error")
        } catch let error as CorpusFormatError {
            #expect(error.line == 42)
            #expect(error.description.hasPrefix("line 42:"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("SplitMix64 reproduces the reference sequence for seed 0")
    func splitMixReference() {
        // First outputs of Vigna's splitmix64.c with x = 0.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test("the 80/20 split is stratified, disjoint, complete and fixed by the seed")
    func split() {
        // The ground-truth tweets' class sizes: 1,203 negative, 297 neutral, 2,700 positive.
        let labels = Array(repeating: SentimentLabel.negative, count: 1203)
            + Array(repeating: .neutral, count: 297) + Array(repeating: .positive, count: 2700)
        var generator = SplitMix64(seed: 9)
        var shuffled = labels
        generator.shuffle(&shuffled)
        let split = CorpusSplit(labels: shuffled)
        let test = split.testIndices.map { shuffled[$0] }
        #expect(test.filter { $0 == .negative }.count == 241)
        #expect(test.filter { $0 == .neutral }.count == 59)
        #expect(test.filter { $0 == .positive }.count == 540)
        #expect(Set(split.trainIndices).isDisjoint(with: split.testIndices))
        #expect(Set(split.trainIndices).union(split.testIndices) == Set(shuffled.indices))
        #expect(CorpusSplit(labels: shuffled).testIndices == split.testIndices)
        #expect(CorpusSplit(labels: shuffled, seed: 1).testIndices != split.testIndices)
    }

    @Test("cross-validation folds partition the items and keep classes balanced")
    func folds() {
        let labels = (0..<50).map { SentimentLabel(index: $0 % 3)! }
        let folds = CorpusSplit.folds(labels: labels, count: 5)
        #expect(folds.flatMap { $0 }.sorted() == Array(0..<50))
        for fold in folds {
            let neutral = fold.filter { labels[$0] == .neutral }.count
            #expect(neutral == 3 || neutral == 4)
        }
    }
}
