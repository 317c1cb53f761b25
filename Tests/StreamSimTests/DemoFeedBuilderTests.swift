import PipelineModel
import Foundation
import Testing
@testable import StreamSim
import StreamRules

/// The demo feed built from ground-truth TSV rows.
struct DemoFeedBuilderTests {
    private let tsv = "1\t2.5\tI love my morning coffee &amp; cake\r\n2\t-1.0\tRainy weekend, so sad\r\n3\t0.1\tjust music\r\nbad line\r\n4\t-3.2\tworst &lt;day&gt; ever\r\n"

    private func lines(_ output: DemoFeedBuilder.Output) throws -> [[String: Any]] {
        try String(decoding: output.archive, as: UTF8.self).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func buildsDeterministicLabelledMessages() throws {
        let builder = DemoFeedBuilder()
        let first = builder.build(groundTruth: tsv)
        #expect(first.archive == builder.build(groundTruth: tsv).archive)
        #expect(first.posts == 4 && first.malformedLines == 1)
        let messages = try lines(first)
        let data = messages.map { $0["data"] as? [String: Any] ?? [:] }
        #expect(data.map { $0["id"] as? String } == ["1800000000000000000", "1800000000000000001",
                                                     "1800000000000000002", "1800000000000000003"])
        // mean/4: 0.625 positive, -0.25 negative, 0.025 neutral, -0.8 negative.
        #expect(data.map { $0["gold_label"] as? String } == ["positive", "negative", "neutral", "negative"])
        #expect(data.map { $0["lang"] as? String } == ["en", "en", "en", "en"])
        #expect(data[0]["created_at"] as? String == "2026-01-01T12:00:00.000Z")
        #expect(data[2]["created_at"] as? String == "2026-01-01T12:30:00.000Z")
        let users = (messages[0]["includes"] as? [String: Any])?["users"] as? [[String: Any]]
        #expect(users?.first?["id"] as? String == data[0]["author_id"] as? String)
    }

    @Test func keywordsAreAssignedRoundRobinAndEntitiesKeptAsTheAPISendsThem() throws {
        let data = try lines(DemoFeedBuilder().build(groundTruth: tsv)).map { $0["data"] as? [String: Any] ?? [:] }
        let texts = data.map { $0["text"] as? String ?? "" }
        // Post 0 already says "coffee", post 1 "weekend", post 2 "music": nothing appended.
        #expect(texts[0] == "I love my morning coffee &amp; cake")
        #expect(texts[1] == "Rainy weekend, so sad")
        #expect(texts[2] == "just music")
        #expect(texts[3] == "worst &lt;day&gt; ever #coffee")
        for (index, keyword) in ["coffee", "weekend", "music", "coffee"].enumerated() {
            #expect(try RuleParser().parse(keyword).matches(PostFacts(text: texts[index], lang: "en")))
        }
    }

    @Test func corpusIDsKeepOnlyThoseRowsWithFreshConsecutivePostIDs() throws {
        var builder = DemoFeedBuilder()
        builder.corpusIDs = ["2", "4", "not-there"]
        let output = builder.build(groundTruth: tsv)
        #expect(output.posts == 2 && output.malformedLines == 1)
        let data = try lines(output).map { $0["data"] as? [String: Any] ?? [:] }
        #expect(data.map { $0["corpus_id"] as? String } == ["2", "4"])
        #expect(data.map { $0["id"] as? String } == ["1800000000000000000", "1800000000000000001"])
    }

    @Test func entityDecodingHandlesNumericAndUnknownEntities() {
        #expect(HTMLEntities.decodeAll("a &amp; b &#39;c&#x27; &bogus; &") == "a & b 'c' &bogus; &")
        #expect(HTMLEntities.apiText("&quot;x&quot; <b>") == "\"x\" &lt;b&gt;")
    }
}
