import Foundation
import MongoKit
import PipelineModel
import Storage

/// The `tweets` document of a scored post: flat fields, so that queries, indexes and
/// analysts see `keywords`, `timestamp`, `label` and `compound` directly.
extension ScoredPost {
    var document: BSONDocument {
        var document: BSONDocument = [
            "_id": .string(id), "keywords": .array(post.keywords.map { .string($0) }), "text": .string(post.text),
            "timestamp": .date(post.timestamp), "receivedAt": .date(post.receivedAt),
            "label": .string(sentiment.label.rawValue), "compound": .double(sentiment.compound),
            "positive": .double(sentiment.positive), "neutral": .double(sentiment.neutral),
            "negative": .double(sentiment.negative), "engine": .string(engine),
            "engineVersion": .string(engineVersion), "scoredAt": .date(scoredAt),
        ]
        if let value = post.authorID { document.append("authorID", .string(value)) }
        if let value = post.authorUsername { document.append("authorUsername", .string(value)) }
        if let value = post.lang { document.append("lang", .string(value)) }
        if let value = post.createdAt { document.append("createdAt", .date(value)) }
        if let value = post.goldLabel { document.append("goldLabel", .string(value.rawValue)) }
        if let value = sentiment.probabilities { document.append("probabilities", .array(value.map { .double($0) })) }
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
        guard let receivedAt = date("receivedAt"), let scoredAt = date("scoredAt") else { throw Self.malformed("dates") }
        guard let label = SentimentLabel(rawValue: try string("label")) else { throw Self.malformed("label") }
        let post = Post(id: try string("_id"), text: try string("text"),
                        keywords: document["keywords"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                        authorID: document["authorID"]?.stringValue,
                        authorUsername: document["authorUsername"]?.stringValue,
                        lang: document["lang"]?.stringValue, createdAt: date("createdAt"), receivedAt: receivedAt,
                        goldLabel: document["goldLabel"]?.stringValue.flatMap(SentimentLabel.init(rawValue:)))
        let sentiment = SentimentResult(label: label, compound: try double("compound"),
                                        positive: try double("positive"), neutral: try double("neutral"),
                                        negative: try double("negative"),
                                        probabilities: document["probabilities"]?.arrayValue?.compactMap(\.doubleValue))
        self.init(post: post, sentiment: sentiment, engine: try string("engine"),
                  engineVersion: try string("engineVersion"), scoredAt: scoredAt)
    }

    private static func malformed(_ field: String) -> MongoError {
        MongoError(kind: .decoding, message: "tweets document: missing or malformed \(field)")
    }
}

/// The `aggregates` document of a minute bucket: `$inc` sums, `$min`/`$max` times.
extension KeywordAggregate {
    /// `keyword|bucket start in ms`: one document per keyword per minute.
    static func documentID(keyword: String, bucketStart: Date) -> String {
        "\(keyword)|\(Int64((bucketStart.timeIntervalSince1970 * 1000).rounded()))"
    }

    /// The upsert that adds this (partial) bucket to its stored document.
    var upsert: WriteModel {
        var increments: BSONDocument = [
            "count": .int(count), "positive": .int(positive), "neutral": .int(neutral), "negative": .int(negative),
            "compoundSum": .double(compoundSum), "compoundSumOfSquares": .double(compoundSumOfSquares),
        ]
        for (bin, value) in histogram.enumerated() where value > 0 { increments.append("histogram.\(bin)", .int(value)) }
        var update: BSONDocument = [
            "$inc": .document(increments),
            "$setOnInsert": ["keyword": .string(keyword), "bucketStart": .date(bucketStart)],
        ]
        if let firstSeen { update.append("$min", ["firstSeen": .date(firstSeen)]) }
        if let lastSeen { update.append("$max", ["lastSeen": .date(lastSeen)]) }
        return .updateOne(filter: ["_id": .string(Self.documentID(keyword: keyword, bucketStart: bucketStart))],
                          update: update, upsert: true)
    }

    init(document: BSONDocument) throws {
        guard let keyword = document["keyword"]?.stringValue, case .date(let start)? = document["bucketStart"] else {
            throw MongoError(kind: .decoding, message: "aggregates document without keyword or bucketStart")
        }
        self.init(keyword: keyword, bucketStart: start)
        count = document["count"]?.intValue ?? 0
        positive = document["positive"]?.intValue ?? 0
        neutral = document["neutral"]?.intValue ?? 0
        negative = document["negative"]?.intValue ?? 0
        compoundSum = document["compoundSum"]?.doubleValue ?? 0
        compoundSumOfSquares = document["compoundSumOfSquares"]?.doubleValue ?? 0
        if let bins = document["histogram"]?.documentValue {
            for (key, value) in bins { if let bin = Int(key), histogram.indices.contains(bin) { histogram[bin] = value.intValue ?? 0 } }
        }
        if case .date(let value)? = document["firstSeen"] { firstSeen = value }
        if case .date(let value)? = document["lastSeen"] { lastSeen = value }
    }
}

/// A `keywords` document: one share of a keyword's total, `{_id: "keyword|slot", keyword,
/// count, lastSeen}`; the keyword's total is the sum over its slots.
extension KeywordSummary {
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
            var update: BSONDocument = ["$inc": ["count": .int(total.count)],
                                        "$setOnInsert": ["keyword": .string(keyword)]]
            if let lastSeen = total.lastSeen { update.append("$max", ["lastSeen": .date(lastSeen)]) }
            return .updateOne(filter: ["_id": .string(documentID(keyword: keyword, slot: slot))], update: update,
                              upsert: true)
        }
    }
}
