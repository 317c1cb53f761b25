import PipelineModel

/// One keyword's label counts per minute over the recent and the baseline windows, with
/// running sums of both, so a closed minute costs O(1) however long the windows are.
struct SentimentHistory: Sendable {
    /// One minute's (or one window's) scored posts by label.
    struct Tally: Sendable, Hashable {
        var scored: Int32 = 0
        var negative: Int32 = 0
        var neutral: Int32 = 0
        var positive: Int32 = 0

        static func + (a: Tally, b: Tally) -> Tally {
            Tally(scored: a.scored &+ b.scored, negative: a.negative &+ b.negative,
                  neutral: a.neutral &+ b.neutral, positive: a.positive &+ b.positive)
        }
        static func - (a: Tally, b: Tally) -> Tally {
            Tally(scored: a.scored &- b.scored, negative: a.negative &- b.negative,
                  neutral: a.neutral &- b.neutral, positive: a.positive &- b.positive)
        }

        func count(of label: SentimentLabel) -> Int {
            switch label {
            case .negative: Int(negative)
            case .neutral: Int(neutral)
            case .positive: Int(positive)
            case .unscored: 0
            }
        }
    }

    private var ring: [Tally]
    private let recentMinutes: Int
    private var next = 0
    private var filled = 0
    private var recent = Tally()
    private var baseline = Tally()

    init(recentMinutes: Int, baselineMinutes: Int) {
        self.recentMinutes = recentMinutes
        ring = Array(repeating: Tally(), count: recentMinutes + baselineMinutes)
    }

    /// Adds the closed minute, then tests every watched label's recent share against its
    /// baseline share; the most significant shift that passes every bar, or nil.
    mutating func close(_ minute: Tally, configuration: AlertConfiguration.SentimentShift,
                        criticalZ: Double) -> Evidence? {
        push(minute)
        let n1 = Int(recent.scored)
        let n0 = Int(baseline.scored)
        guard n1 >= configuration.minimumPosts, n0 >= configuration.minimumPosts else { return nil }
        var best: Evidence?
        for label in configuration.labels {
            let k1 = recent.count(of: label)
            let k0 = baseline.count(of: label)
            let p1 = Double(k1) / Double(n1)
            let p0 = Double(k0) / Double(n0)
            // The tolerance keeps a shift of exactly the minimum (0.3 against 0.2) from
            // falling short by a binary rounding error.
            guard abs(p1 - p0) + 1e-9 >= configuration.minimumShift else { continue }
            let z = TwoProportionTest.z(successes1: k1, n1: n1, successes0: k0, n0: n0)
            guard abs(z) >= criticalZ, abs(z) > (best?.strength ?? 0) else { continue }
            best = Evidence(observed: p1, expected: p0, threshold: z, strength: abs(z), label: label)
        }
        return best
    }

    /// `minutes` minutes without a post.
    mutating func skip(minutes: Int64) {
        for _ in 0..<min(minutes, Int64(ring.count)) { push(Tally()) }
    }

    private mutating func push(_ minute: Tally) {
        let size = ring.count
        if filled == size { baseline = baseline - ring[next] }
        ring[next] = minute
        recent = recent + minute
        if filled + 1 > recentMinutes {
            let leaving = (next - recentMinutes + size) % size
            recent = recent - ring[leaving]
            baseline = baseline + ring[leaving]
        }
        next = (next + 1) % size
        filled = min(filled + 1, size)
    }
}
