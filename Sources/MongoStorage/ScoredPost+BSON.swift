import Foundation
import MongoKit
import PipelineModel
import Storage

/// The `tweets` document of a scored post: flat fields, so that queries, indexes and
/// analysts see `keywords`, `timestamp`, `label` and `compound` directly.
extension ScoredPost {
    private typealias Field = MongoSchema.Tweets

    var document: BSONDocument {
        var document: BSONDocument = [
            Field.id: .string(id), Field.keywords: .array(post.keywords.map { .string($0) }),
            Field.text: .string(post.text), Field.timestamp: .date(post.timestamp),
            Field.receivedAt: .date(post.receivedAt), Field.label: .string(sentiment.label.rawValue),
            Field.compound: .double(sentiment.compound), Field.positive: .double(sentiment.positive),
            Field.neutral: .double(sentiment.neutral), Field.negative: .double(sentiment.negative),
            Field.engine: .string(engine), Field.engineVersion: .string(engineVersion),
            Field.scoredAt: .date(scoredAt),
        ]
        if let value = post.authorID { document.append(Field.authorID, .string(value)) }
        if let value = post.authorUsername { document.append(Field.authorUsername, .string(value)) }
        if let value = post.lang { document.append(Field.lang, .string(value)) }
        if let value = post.createdAt { document.append(Field.createdAt, .date(value)) }
        if let value = post.goldLabel { document.append(Field.goldLabel, .string(value.rawValue)) }
        if let value = sentiment.probabilities {
            document.append(Field.probabilities, .array(value.map { .double($0) }))
        }
        return document
    }

    init(document: BSONDocument) throws {
        func string(_ key: String) throws -> String {
            guard let value = document[key]?.stringValue else { throw Self.malformed(key) }
            return value
        }
        func double(_ key: String) throws -> Double {
            guard let value = document[key]?.doubleValue else { throw Self.malformed(key) }
            return value
        }
        func date(_ key: String) -> Date? {
            if case .date(let value)? = document[key] { return value }
            return nil
        }
        guard let receivedAt = date(Field.receivedAt), let scoredAt = date(Field.scoredAt) else {
            throw Self.malformed("dates")
        }
        guard let label = SentimentLabel(rawValue: try string(Field.label)) else { throw Self.malformed(Field.label) }
        let post = Post(id: try string(Field.id), text: try string(Field.text),
                        keywords: document[Field.keywords]?.arrayValue?.compactMap(\.stringValue) ?? [],
                        authorID: document[Field.authorID]?.stringValue,
                        authorUsername: document[Field.authorUsername]?.stringValue,
                        lang: document[Field.lang]?.stringValue, createdAt: date(Field.createdAt),
                        receivedAt: receivedAt,
                        goldLabel: document[Field.goldLabel]?.stringValue.flatMap(SentimentLabel.init(className:)))
        let sentiment = SentimentResult(label: label, compound: try double(Field.compound),
                                        positive: try double(Field.positive), neutral: try double(Field.neutral),
                                        negative: try double(Field.negative),
                                        probabilities: document[Field.probabilities]?.arrayValue?
                                            .compactMap(\.doubleValue))
        self.init(post: post, sentiment: sentiment, engine: try string(Field.engine),
                  engineVersion: try string(Field.engineVersion), scoredAt: scoredAt)
    }

    private static func malformed(_ field: String) -> MongoError {
        MongoError(kind: .decoding, message: "tweets document: missing or malformed \(field)")
    }
}

/// The `aggregates` document of a minute bucket: `$inc` sums, `$min`/`$max` times.
extension KeywordAggregate {
    private typealias Field = MongoSchema.Aggregates

    /// `keyword|bucket start in ms`: one document per keyword per minute.
    static func documentID(keyword: String, bucketStart: Date) -> String {
        "\(keyword)|\(Int64((bucketStart.timeIntervalSince1970 * 1000).rounded()))"
    }

    /// The upsert that adds this (partial) bucket to its stored document.
    var upsert: WriteModel {
        .updateOne(filter: [Field.id: .string(Self.documentID(keyword: keyword, bucketStart: bucketStart))],
                   update: update, upsert: true)
    }

    /// The update that adds this (partial) bucket to its stored document.
    var update: BSONDocument {
        var increments: BSONDocument = [
            Field.count: .int(count), Field.positive: .int(positive), Field.neutral: .int(neutral),
            Field.negative: .int(negative), Field.unscored: .int(unscored), Field.compoundSum: .double(compoundSum),
            Field.compoundSumOfSquares: .double(compoundSumOfSquares),
        ]
        for (bin, value) in histogram.enumerated() where value > 0 {
            increments.append(Field.histogramBin(bin), .int(value))
        }
        var update: BSONDocument = [
            "$inc": .document(increments),
            "$setOnInsert": [Field.keyword: .string(keyword), Field.bucketStart: .date(bucketStart)],
        ]
        if let firstSeen { update.append("$min", [Field.firstSeen: .date(firstSeen)]) }
        if let lastSeen { update.append("$max", [Field.lastSeen: .date(lastSeen)]) }
        return update
    }

    init(document: BSONDocument) throws {
        guard let keyword = document[Field.keyword]?.stringValue,
              case .date(let start)? = document[Field.bucketStart] else {
            throw MongoError(kind: .decoding, message: "aggregates document without keyword or bucketStart")
        }
        self.init(keyword: keyword, bucketStart: start)
        count = document[Field.count]?.intValue ?? 0
        positive = document[Field.positive]?.intValue ?? 0
        neutral = document[Field.neutral]?.intValue ?? 0
        negative = document[Field.negative]?.intValue ?? 0
        unscored = document[Field.unscored]?.intValue ?? 0  // absent in buckets written before it
        compoundSum = document[Field.compoundSum]?.doubleValue ?? 0
        compoundSumOfSquares = document[Field.compoundSumOfSquares]?.doubleValue ?? 0
        if let bins = document[Field.histogram]?.documentValue {
            for (key, value) in bins {
                if let bin = Int(key), histogram.indices.contains(bin) { histogram[bin] = value.intValue ?? 0 }
            }
        }
        if case .date(let value)? = document[Field.firstSeen] { firstSeen = value }
        if case .date(let value)? = document[Field.lastSeen] { lastSeen = value }
    }
}

/// A `keywords` document: one share of a keyword's total, `{_id: "keyword|slot", keyword,
/// count, lastSeen}`; the keyword's total is the sum over its slots.
extension KeywordSummary {
    private typealias Field = MongoSchema.Keywords

    static func documentID(keyword: String, slot: Int) -> String { "\(keyword)|\(slot)" }

    /// The upserts that add `buckets` to their keywords' totals in `slot`, in keyword order.
    static func upserts(adding buckets: [KeywordAggregate], slot: Int) -> [WriteModel] {
        var totals: [String: (count: Int, lastSeen: Date?)] = [:]
        for bucket in buckets {
            let old = totals[bucket.keyword] ?? (0, nil)
            totals[bucket.keyword] = (old.count + bucket.count,
                                      [old.lastSeen, bucket.lastSeen].compactMap { $0 }.max())
        }
        return totals.sorted { $0.key < $1.key }.map { keyword, total in
            var update: BSONDocument = ["$inc": [Field.count: .int(total.count)],
                                        "$setOnInsert": [Field.keyword: .string(keyword)]]
            if let lastSeen = total.lastSeen { update.append("$max", [Field.lastSeen: .date(lastSeen)]) }
            return .updateOne(filter: [Field.id: .string(documentID(keyword: keyword, slot: slot))], update: update,
                              upsert: true)
        }
    }
}
