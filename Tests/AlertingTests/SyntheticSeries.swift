import Alerting
import Foundation
import PipelineModel

/// Synthetic minute series for the detector tests: counts with Poisson-like noise and a
/// chosen negative/positive mix, fed minute by minute into an `AlertDetector`.
struct SyntheticSeries {
    /// 2026-01-01T00:00Z in epoch minutes: a day boundary, so hours of day are easy to read.
    static let t0: Int64 = 1_767_225_600 / 60

    var random = SplitMix64(seed: 7)

    /// A count around `mean` (normal approximation of a Poisson draw, never negative).
    mutating func noisy(_ mean: Double) -> Int {
        // Box–Muller from two uniforms.
        let u1 = max(random.nextUnit(), 1e-12)
        let u2 = random.nextUnit()
        let gaussian = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        return max(0, Int((mean + gaussian * mean.squareRoot()).rounded()))
    }

    /// A minute bucket of `keyword` with `count` posts, `negativeShare` of them negative and
    /// `positiveShare` positive (the rest neutral).
    static func bucket(_ keyword: String, minute: Int64, count: Int, negativeShare: Double = 0.2,
                       positiveShare: Double = 0.4) -> KeywordAggregate {
        var bucket = KeywordAggregate(keyword: keyword, bucketStart: Date(timeIntervalSince1970: TimeInterval(minute * 60)))
        let negative = Int((Double(count) * negativeShare).rounded())
        let positive = min(count - negative, Int((Double(count) * positiveShare).rounded()))
        let at = bucket.bucketStart
        for _ in 0..<negative { bucket.add(label: .negative, compound: -0.5, at: at) }
        for _ in 0..<positive { bucket.add(label: .positive, compound: 0.5, at: at) }
        for _ in 0..<(count - negative - positive) { bucket.add(label: .neutral, compound: 0, at: at) }
        return bucket
    }

    /// Runs `detector` over `minutes` minutes from `t0`; `buckets(minute offset)` gives each
    /// minute's buckets. Returns every transition.
    static func run(_ detector: inout AlertDetector, minutes: Int,
                    _ buckets: (Int) -> [KeywordAggregate]) -> [Alert] {
        var alerts: [Alert] = []
        for offset in 0..<minutes {
            alerts += detector.close(minute: t0 + Int64(offset), buckets: buckets(offset))
        }
        return alerts
    }

    /// The date of minute `offset` after `t0`.
    static func date(_ offset: Int) -> Date { Date(timeIntervalSince1970: TimeInterval((t0 + Int64(offset)) * 60)) }
}
