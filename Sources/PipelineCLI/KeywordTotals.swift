import Foundation
import PipelineModel
import Storage

/// All-time totals of one keyword, read back from a store (summaries and reports).
struct KeywordTotals: Codable, Hashable {
    var keyword: String
    var count: Int
    var positive: Int
    var neutral: Int
    var negative: Int
    /// Counted in `count` but not scored (language); the mean is over scored posts.
    var unscored: Int
    var meanCompound: Double?

    /// Totals of every keyword in `store`, summed over all its buckets.
    static func read(from store: any SentimentStore) async throws -> [KeywordTotals] {
        let everything = DateInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 1e11))
        var result: [KeywordTotals] = []
        for summary in try await store.keywords().sorted(by: { $0.keyword < $1.keyword }) {
            let buckets = try await store.series(keyword: summary.keyword, in: everything, resolution: .hour)
            var total = KeywordAggregate(keyword: summary.keyword, bucketStart: everything.start, resolution: .hour)
            for bucket in buckets { total.merge(bucket) }
            result.append(KeywordTotals(keyword: summary.keyword, count: total.count, positive: total.positive,
                                        neutral: total.neutral, negative: total.negative, unscored: total.unscored,
                                        meanCompound: total.meanCompound))
        }
        return result
    }

    /// Writes the totals as pretty JSON (`{"keywords":[…]}`) to `path`.
    static func write(_ totals: [KeywordTotals], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(["keywords": totals]).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
