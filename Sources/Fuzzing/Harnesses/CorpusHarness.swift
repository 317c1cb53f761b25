import Sentiment

/// `CorpusParser.parseAll`, what `sentiment train` reads, on damaged corpora in both
/// formats. Invariants: only `CorpusFormatError` is thrown; never more items than lines.
public struct CorpusHarness: FuzzHarness {
    public let name = "corpus"
    public let seeds: [[UInt8]] = [
        "1\t2.5\tI love it\n2\t-1.8\tthis is awful\r\n3\t0\tmeh\twith a tab\n\n",
        #"{"id":"a","text":"great stuff","label":"positive"}"# + "\n" + #"{"text":"bad \u00e9","label":"negative"}"#,
        "4\t-4\t\u{1B}[31mred\u{1B}[0m\n",
    ].map { Array($0.utf8) }

    /// A harness.
    public init() {}

    public mutating func check(_ input: [UInt8]) async throws {
        let text = String(decoding: input, as: UTF8.self)
        do {
            let items = try CorpusParser.parseAll(text)
            try invariant(items.count <= text.count + 1, "\(items.count) items from \(text.count) characters")
        } catch is CorpusFormatError {
            return
        } catch {
            throw FuzzFailure("CorpusParser threw \(type(of: error)), not CorpusFormatError")
        }
    }
}
