import Foundation
import Metrics
import PipelineModel

/// What happens to each line, live or replayed, and nothing more: decode, resolve
/// keywords, drop repeats by id, count. One path (`read(line:…)`) for the live stream
/// (`ConnectionReader`) and replay (`Replayer`), so both decode and count alike.
/// A post that matches no rule is not handed on (it would count under no keyword); it is
/// counted in `unmatched`, or in `withoutRules` when there was nothing to match it by.
public struct MessageProcessor: Sendable {
    /// Running counts, mirrored into swift-metrics counters.
    public struct Counts: Sendable, Hashable {
        /// Non-empty lines received.
        public var messages = 0
        /// Keep-alive heartbeats (empty lines).
        public var heartbeats = 0
        /// Posts decoded (before dedupe).
        public var posts = 0
        /// Posts dropped as repeats of a recent id.
        public var duplicates = 0
        /// Lines that were not valid messages, oversized, or cut off by a disconnect.
        public var malformed = 0
        /// Valid JSON of an unknown shape.
        public var unrecognized = 0
        /// In-stream error messages.
        public var errors = 0
        /// New posts that matched none of the rules (not handed on).
        public var unmatched = 0
        /// New posts with no `matching_rules` while the run has no rules of its own (not
        /// handed on; a replay stops at the first).
        public var withoutRules = 0
        /// Keywords left out because a post matched more than the limit.
        public var droppedKeywords = 0
        /// Posts that had keywords left out.
        public var postsOverKeywordLimit = 0
    }

    /// The keyword resolver (replaced after a rules sync).
    public var rules: KeywordResolver
    /// Totals so far.
    public private(set) var counts = Counts()
    private var deduplicator: PostDeduplicator
    private let metrics = ProcessorMetrics()

    /// Creates a processor.
    public init(rules: KeywordResolver, deduplicator: PostDeduplicator = PostDeduplicator()) {
        self.rules = rules
        self.deduplicator = deduplicator
    }

    /// Outcome of one frame.
    public enum Outcome: Sendable, Hashable {
        /// New posts to hand off (may be empty).
        case posts([Post])
        /// The server announced an operational disconnect; errors carried for logs.
        case operationalDisconnect([StreamError])
        /// An in-stream error that does not end the stream.
        case streamError([StreamError])
        /// Nothing to do (heartbeat, duplicate, unknown, malformed).
        case nothing
    }

    /// What one line came to; its new posts, if any, were appended to the caller's batch.
    enum LineOutcome: Sendable, Hashable {
        /// A message of posts (all of them repeats or unmatched, possibly).
        case posts
        /// The server announced an operational disconnect.
        case operationalDisconnect([StreamError])
        /// An in-stream error that does not end the stream.
        case streamError([StreamError])
        /// Not a message of posts (unknown shape, malformed).
        case nothing
    }

    /// The path of every line, live or replayed: decode (`StreamMessage.decode`), count,
    /// then resolve keywords and drop repeats (`admit`); the new posts are appended to
    /// `posts`, so a line costs no array of its own. `receivedAt` nil means "use
    /// created_at" (replays of post files without receive times), falling back to
    /// `fallbackTime`, read only when a post needs it.
    mutating func read(line: UnsafeRawBufferPointer, receivedAt: Date?, fallbackTime: @autoclosure () -> Date = Date(),
                       into posts: inout [Post]) -> LineOutcome {
        counts.messages += 1
        metrics.messages.increment()
        let message: StreamMessage
        do { message = try StreamMessage.decode(line) } catch {
            countMalformed()
            return .nothing
        }
        switch message {
        case .post(let post):
            admit(CollectionOfOne(post), receivedAt: receivedAt, fallbackTime: fallbackTime, into: &posts)
            return .posts
        case .posts(let page):
            admit(page, receivedAt: receivedAt, fallbackTime: fallbackTime, into: &posts)
            return .posts
        case .errors(let errors):
            counts.errors += 1
            metrics.errors.increment()
            return message.isOperationalDisconnect ? .operationalDisconnect(errors) : .streamError(errors)
        case .unrecognized:
            counts.unrecognized += 1
            metrics.unrecognized.increment()
            return .nothing
        }
    }

    /// Handles one frame received at `receivedAt` (`read(line:…)` for a framed line).
    public mutating func process(_ frame: LineFramer.Frame, receivedAt: Date) -> Outcome {
        switch frame {
        case .heartbeat:
            countHeartbeat()
            return .nothing
        case .oversized:
            countMalformed()
            return .nothing
        case .line(let bytes):
            return process(line: bytes, receivedAt: receivedAt)
        }
    }

    /// Handles one complete line (`read(line:…)` returning its posts). `receivedAt` nil
    /// means "use created_at", falling back to `fallbackTime`.
    public mutating func process(line: [UInt8], receivedAt: Date?, fallbackTime: Date = Date()) -> Outcome {
        var fresh: [Post] = []
        let outcome = line.withUnsafeBytes { read(line: $0, receivedAt: receivedAt, fallbackTime: fallbackTime, into: &fresh) }
        return switch outcome {
        case .posts: .posts(fresh)
        case .operationalDisconnect(let errors): .operationalDisconnect(errors)
        case .streamError(let errors): .streamError(errors)
        case .nothing: .nothing
        }
    }

    /// Counts decoded posts and appends those seen for the first time.
    private mutating func admit(_ streamPosts: some Collection<StreamPost>, receivedAt: Date?,
                                fallbackTime: () -> Date, into fresh: inout [Post]) {
        for streamPost in streamPosts {
            counts.posts += 1
            guard deduplicator.isFirstSighting(of: streamPost.id) else {
                counts.duplicates += 1
                metrics.duplicates.increment()
                continue
            }
            let resolution = streamPost.resolveKeywords(with: rules)
            if resolution.dropped > 0 {
                counts.droppedKeywords += resolution.dropped
                counts.postsOverKeywordLimit += 1
                metrics.droppedKeywords.increment(by: resolution.dropped)
            }
            guard !resolution.keywords.isEmpty else {
                if resolution.lacksRules {
                    counts.withoutRules += 1
                } else {
                    counts.unmatched += 1
                }
                metrics.unmatched.increment()
                continue
            }
            let time = receivedAt ?? streamPost.createdAt ?? fallbackTime()
            fresh.append(streamPost.post(receivedAt: time, keywords: resolution.keywords))
        }
        metrics.posts.increment(by: streamPosts.count)
    }

    /// Counts a keep-alive heartbeat (an empty line).
    mutating func countHeartbeat() {
        counts.heartbeats += 1
        metrics.heartbeats.increment()
    }

    /// Counts a line cut off by a disconnect (`LineFramer.finish`).
    public mutating func countTruncated() { countMalformed() }

    /// Counts a line over the length limit.
    mutating func countOversized() { countMalformed() }

    private mutating func countMalformed() {
        counts.malformed += 1
        metrics.malformed.increment()
    }
}

/// The counters behind `MessageProcessor.Counts` (swift-metrics handles are cheap values).
struct ProcessorMetrics: Sendable {
    let messages = Counter(label: "listener_messages_received_total")
    let heartbeats = Counter(label: "listener_heartbeats_total")
    let posts = Counter(label: "listener_posts_received_total")
    let duplicates = Counter(label: "listener_posts_duplicate_total")
    let malformed = Counter(label: "listener_messages_malformed_total")
    let unrecognized = Counter(label: "listener_messages_unrecognized_total")
    let errors = Counter(label: "listener_stream_errors_total")
    let unmatched = Counter(label: "listener_posts_unmatched_total")
    let droppedKeywords = Counter(label: "listener_keywords_dropped_total")
}
