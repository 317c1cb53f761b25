import Foundation
import Metrics
import PipelineModel

/// What the read loop does with each frame, and nothing more: decode, resolve keywords,
/// drop repeats by id, count. Shared by the live stream and replay so both count alike.
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
    public var rules: RuleBook
    /// Totals so far.
    public private(set) var counts = Counts()
    private var deduplicator: PostDeduplicator
    private let metrics = ProcessorMetrics()

    /// Creates a processor.
    public init(rules: RuleBook, deduplicator: PostDeduplicator = PostDeduplicator()) {
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

    /// Handles one frame received at `receivedAt`.
    public mutating func process(_ frame: LineFramer.Frame, receivedAt: Date) -> Outcome {
        switch frame {
        case .heartbeat:
            counts.heartbeats += 1
            metrics.heartbeats.increment()
            return .nothing
        case .oversized:
            countMalformed()
            return .nothing
        case .line(let bytes):
            return process(line: bytes, receivedAt: receivedAt)
        }
    }

    /// Handles one complete line. `receivedAt` nil means "use created_at" (replays of
    /// post files without receive times), falling back to `fallbackTime`.
    public mutating func process(line: [UInt8], receivedAt: Date?, fallbackTime: Date = Date()) -> Outcome {
        counts.messages += 1
        metrics.messages.increment()
        let message: StreamMessage
        do { message = try StreamMessage.decode(line) } catch {
            countMalformed()
            return .nothing
        }
        switch message {
        case .posts(let streamPosts):
            var fresh: [Post] = []
            admit(streamPosts, receivedAt: receivedAt, fallbackTime: { fallbackTime }, into: &fresh)
            return .posts(fresh)
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

    /// `process(line:receivedAt:)` for replay, which only wants posts: the new posts are
    /// appended to `posts` (no arrays per line) and the result says whether the outcome
    /// would have been `.posts`. The fallback time, when a post needs it, is the current time.
    mutating func process(line: UnsafeRawBufferPointer, receivedAt: Date?, appendingTo posts: inout [Post]) -> Bool {
        counts.messages += 1
        metrics.messages.increment()
        if let post = StreamMessageScanner.scanPost(line) {
            admit(CollectionOfOne(post), receivedAt: receivedAt, fallbackTime: { Date() }, into: &posts)
            return true
        }
        let message: StreamMessage
        do { message = try StreamMessage.decodeWithFoundation(line) } catch {
            countMalformed()
            return false
        }
        switch message {
        case .posts(let streamPosts):
            admit(streamPosts, receivedAt: receivedAt, fallbackTime: { Date() }, into: &posts)
            return true
        case .errors:
            counts.errors += 1
            metrics.errors.increment()
            return false
        case .unrecognized:
            counts.unrecognized += 1
            metrics.unrecognized.increment()
            return false
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

    /// Counts a line cut off by a disconnect (`LineFramer.finish`).
    public mutating func countTruncated() { countMalformed() }

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
