import Foundation
import PipelineModel
import Storage

/// Synthetic scored posts for `dashboard --demo` and the benchmark: deterministic for a
/// seed, with a daily rhythm, a sentiment bias per keyword, and texts that exercise the
/// escaping (markup, quotes, right-to-left text, emoji).
public struct DemoFeed: Sendable {
    /// Keywords posts are spread over.
    public var keywords: [String]
    private var random: SplitMix64
    private var nextID: UInt64

    /// A feed over `keywords` seeded with `seed`.
    public init(keywords: [String] = DemoFeed.defaultKeywords, seed: UInt64 = 42) {
        self.keywords = keywords
        self.random = SplitMix64(seed: seed)
        self.nextID = 1_860_000_000_000_000_000 + seed % 1000 * 1_000_000
    }

    /// The demo's keywords.
    public static let defaultKeywords = ["swift", "rust", "python", "climate", "football", "election"]

    private static let phrases: [(String, Double)] = [
        ("Absolutely love the new release, great work!", 0.85),
        ("This is fine I guess.", 0.1),
        ("Worst update ever, everything is broken 😡", -0.8),
        ("Not bad at all — pretty happy with it 🙂", 0.6),
        ("I can't believe how terrible the support was.", -0.7),
        ("Meeting at 5pm to discuss the roadmap.", 0.0),
        ("<script>alert('xss')</script> looks harmless, right?", -0.1),
        ("\"quoted\" onmouseover=alert(1) & friends", 0.05),
        ("مرحبا، هذا رائع جدا \u{200F}!", 0.7),
        ("שלום, זה נורא \u{202E}txet desrever", -0.5),
        ("Mixed feelings: good ideas, poor execution.", -0.05),
        ("Wonderful news for everyone 🎉🎉", 0.9),
    ]

    /// Posts of every keyword from `start` to `end`, about `perMinute` per keyword and
    /// minute on average (more in the afternoon UTC, fewer at night).
    public mutating func posts(from start: Date, to end: Date, perMinute: Double) -> [ScoredPost] {
        var out: [ScoredPost] = []
        var minute = start.timeIntervalSince1970
        while minute < end.timeIntervalSince1970 {
            let hour = (minute.truncatingRemainder(dividingBy: 86_400)) / 3600
            let rhythm = 0.6 + 0.4 * sin((hour - 9) / 24 * 2 * .pi)
            for (k, keyword) in keywords.enumerated() {
                let expected = perMinute * rhythm * (1 + Double(k % 3) * 0.3)
                var n = Int(expected)
                if random.nextUnit() < expected - Double(n) { n += 1 }
                for _ in 0..<n {
                    let at = Date(timeIntervalSince1970: minute + random.nextUnit() * 59.9)
                    out.append(post(keyword: keyword, index: k, at: at))
                }
            }
            minute += 60
        }
        return out
    }

    /// One post of `keyword` at `date`.
    public mutating func post(keyword: String, index: Int, at date: Date) -> ScoredPost {
        let phrase = Self.phrases[Int(random.next() % UInt64(Self.phrases.count))]
        let bias = [0.25, -0.2, 0.1, -0.35, 0.3, -0.1][index % 6]
        let compound = max(-1, min(1, phrase.1 * 0.6 + bias + (random.nextUnit() - 0.5) * 0.8))
        let label = SentimentLabel(compound: compound)
        nextID += 1 + random.next() % 1000
        let post = Post(id: String(nextID), text: "\(phrase.0) #\(keyword)", keywords: [keyword],
                        authorUsername: "user\(random.next() % 5000)", lang: "en", createdAt: date,
                        receivedAt: date)
        let pos = max(0, compound), neg = max(0, -compound)
        return ScoredPost(post: post,
                          sentiment: SentimentResult(label: label, compound: compound, positive: pos * 0.5,
                                                     neutral: 1 - (pos + neg) * 0.5, negative: neg * 0.5),
                          engine: "demo", engineVersion: "1", scoredAt: date)
    }
}
