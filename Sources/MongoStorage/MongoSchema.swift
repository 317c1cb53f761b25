/// The names of the collections, fields and indexes the MongoDB queue and store write:
/// one place to read the on-disk layout, and the names tests use to inspect raw
/// documents. Renaming one changes the stored format (existing databases keep the old
/// name), so these are a compatibility contract, not a style choice.
public enum MongoSchema {
    /// `inboxPosts`: the posts of one queued batch in one document, `{_id, posts, enqueuedAt}`;
    /// its lease is the `inboxBatches` document with the same `_id`.
    public enum InboxPosts {
        /// The collection.
        public static let collection = "inboxPosts"
        /// The batch id (the id of its `inboxBatches` document).
        public static let id = "_id"
        /// The posts, an array of subdocuments.
        public static let posts = "posts"
        /// When the batch was queued.
        public static let enqueuedAt = "enqueuedAt"
    }

    /// `inboxBatches`: the lease of one `inboxPosts` document (see `InboxBatch`).
    public enum InboxBatches {
        /// The collection.
        public static let collection = "inboxBatches"
        /// Random id (UUID text).
        public static let id = "_id"
        /// Posts in the batch's `inboxPosts` document.
        public static let count = "count"
        /// When its posts were first queued.
        public static let enqueuedAt = "enqueuedAt"
        /// Claimable when not in the future; the epoch for a waiting batch.
        public static let leaseExpiresAt = "leaseExpiresAt"
        /// The claim holding the lease; empty when waiting.
        public static let leaseToken = "leaseToken"
        /// The worker that claimed it last (for operators).
        public static let worker = "worker"
        /// Times the batch was handed out.
        public static let deliveries = "deliveries"
        /// Failed attempts counted against the dead-letter limit.
        public static let failures = "failures"
        /// The reason of the last failed attempt.
        public static let lastFailure = "lastFailure"
        /// Index on (`leaseExpiresAt`, `enqueuedAt`): the claimable batches, oldest first.
        public static let claimableIndex = "claimable"
    }

    /// `deadLetters`: posts given up on, `{_id, post, reason, failures, deadLetteredAt}`.
    public enum DeadLetters {
        /// The collection.
        public static let collection = "deadLetters"
        /// The post id.
        public static let id = "_id"
        /// The post as a subdocument.
        public static let post = "post"
        /// Why the last attempt failed.
        public static let reason = "reason"
        /// Failed attempts.
        public static let failures = "failures"
        /// When the post was dead-lettered.
        public static let deadLetteredAt = "deadLetteredAt"
        /// Index on `deadLetteredAt`, newest first.
        public static let deadLetteredAtIndex = "deadLetteredAt"
    }

    /// `tweets`: one document per scored post, flat fields (see `ScoredPost+BSON.swift`).
    public enum Tweets {
        /// The collection.
        public static let collection = "tweets"
        /// The post id.
        public static let id = "_id"
        /// The keywords the post matched.
        public static let keywords = "keywords"
        /// The post's text.
        public static let text = "text"
        /// The post's time (creation, else receipt): what buckets and ranges use.
        public static let timestamp = "timestamp"
        /// When the listener received it; the TTL index counts from here.
        public static let receivedAt = "receivedAt"
        /// `positive`, `neutral`, `negative`, or `unscored` (counted, not scored: language).
        public static let label = "label"
        /// Compound score in −1…1.
        public static let compound = "compound"
        /// Positive proportion.
        public static let positive = "positive"
        /// Neutral proportion.
        public static let neutral = "neutral"
        /// Negative proportion.
        public static let negative = "negative"
        /// Class probabilities of a probabilistic engine.
        public static let probabilities = "probabilities"
        /// Engine name.
        public static let engine = "engine"
        /// Engine and model version.
        public static let engineVersion = "engineVersion"
        /// When it was scored.
        public static let scoredAt = "scoredAt"
        /// Author id, when known.
        public static let authorID = "authorID"
        /// Author user name, when known.
        public static let authorUsername = "authorUsername"
        /// Language tag, when known.
        public static let lang = "lang"
        /// Creation time given by the source, when known.
        public static let createdAt = "createdAt"
        /// A labelled feed's gold label.
        public static let goldLabel = "goldLabel"
        /// When `record` stored it (inside its transaction): what the polling change feed follows.
        public static let recordedAt = "recordedAt"
        /// Index on (`keywords`, `timestamp` descending).
        public static let keywordTimeIndex = "keyword_time"
        /// TTL index on `receivedAt`.
        public static let retentionIndex = "retention"
        /// Index on `recordedAt`, for the polling change feed.
        public static let recordedIndex = "recorded"
    }

    /// `recorded`: the ids of every post `record` counted, `{_id, recordedAt}`: what
    /// exactly-once is decided by, kept apart from `tweets` so `tweets`' TTL cannot make a
    /// counted post look new again.
    public enum Recorded {
        /// The collection.
        public static let collection = "recorded"
        /// The post id.
        public static let id = "_id"
        /// When `record` counted it (the recording host's clock).
        public static let recordedAt = "recordedAt"
        /// TTL index on `recordedAt`, present when ids are kept for a bounded time.
        public static let expiryIndex = "expiry"
    }

    /// `recording`: one document per `record` call in flight, `{_id, since}`, written before
    /// its transaction starts and deleted after it ends: how far back the polling change
    /// feed must look for commits not yet visible (see `MongoSentimentStore+Polling.swift`).
    public enum Recording {
        /// The collection.
        public static let collection = "recording"
        /// Random id (UUID text).
        public static let id = "_id"
        /// The `recordedAt` stamp its posts carry (the recording host's clock).
        public static let since = "since"
    }

    /// `aggregates`: one document per keyword per minute bucket, `_id` = `keyword|bucketStartMillis`.
    public enum Aggregates {
        /// The collection.
        public static let collection = "aggregates"
        /// `keyword|bucket start in ms`.
        public static let id = "_id"
        /// The keyword.
        public static let keyword = "keyword"
        /// Start of the minute.
        public static let bucketStart = "bucketStart"
        /// Posts counted.
        public static let count = "count"
        /// Posts labelled positive.
        public static let positive = "positive"
        /// Posts labelled neutral.
        public static let neutral = "neutral"
        /// Posts labelled negative.
        public static let negative = "negative"
        /// Posts counted but not scored (their language); in `count`, not in the sums.
        public static let unscored = "unscored"
        /// Sum of the compounds of scored posts.
        public static let compoundSum = "compoundSum"
        /// Sum of the squared compounds.
        public static let compoundSumOfSquares = "compoundSumOfSquares"
        /// Compound histogram: a subdocument of bin number → count.
        public static let histogram = "histogram"
        /// Earliest post time in the bucket.
        public static let firstSeen = "firstSeen"
        /// Latest post time in the bucket.
        public static let lastSeen = "lastSeen"
        /// Unique index on (`keyword`, `bucketStart`).
        public static let keywordBucketIndex = "keyword_bucket"

        /// The dotted path of histogram bin `bin`, for `$inc`.
        public static func histogramBin(_ bin: Int) -> String { "\(histogram).\(bin)" }
    }

    /// `hourly`: one document per keyword per hour, `_id` = `keyword|hourStartMillis`, with
    /// the minute buckets' fields (`Aggregates`' names) summed over the hour, kept in the
    /// transaction that records the posts. A 7-day series reads 168 of these per keyword
    /// instead of 10,080 minute buckets.
    public enum Hourly {
        /// The collection.
        public static let collection = "hourly"
        /// Unique index on (`keyword`, `bucketStart`).
        public static let keywordHourIndex = "keyword_hour"
    }

    /// `hourlyPosts`: beside each `hourly` document (same `_id`), the hour's most positive,
    /// most negative and newest posts (whole `tweets` documents) and its `firstSeen` /
    /// `lastSeen`: what the extremes and the feed read instead of sorting `tweets`. Apart
    /// from the sums so that a series does not read the posts.
    public enum HourlyPosts {
        /// The collection.
        public static let collection = "hourlyPosts"
        /// The hour's `HourlyRollup.extremesKept` scored posts of highest compound, highest first.
        public static let mostPositive = "mostPositive"
        /// Its scored posts of lowest compound, lowest first.
        public static let mostNegative = "mostNegative"
        /// Its `HourlyRollup.newestKept` newest posts, newest first.
        public static let newest = "newest"
        /// Unique index on (`keyword`, `bucketStart`).
        public static let keywordHourIndex = "keyword_hour"
        /// Index on `bucketStart` descending: the newest posts of all keywords.
        public static let hourIndex = "hour"
    }

    /// `keywords`: shares of each keyword's all-time total, `_id` = `keyword|slot`.
    public enum Keywords {
        /// The collection.
        public static let collection = "keywords"
        /// `keyword|slot`.
        public static let id = "_id"
        /// The keyword.
        public static let keyword = "keyword"
        /// This share of the keyword's post count.
        public static let count = "count"
        /// Latest post time seen by this share.
        public static let lastSeen = "lastSeen"
    }

    /// `"$field"`: a field's value in an aggregation expression.
    public static func value(of field: String) -> String { "$" + field }
}
