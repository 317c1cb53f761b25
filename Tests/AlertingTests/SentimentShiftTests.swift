import Alerting
import Foundation
import PipelineModel
import Testing

@Suite struct SentimentShiftTests {
    static var sentimentOnly: AlertConfiguration {
        var configuration = AlertConfiguration()
        configuration.volume.enabled = false
        return configuration
    }

    @Test func zMatchesAHandComputedExample() {
        // 60 of 100 against 40 of 100: pooled 0.5, SE = √(0.25 × 0.02) = 0.0707…, z = 2.828…
        #expect(abs(TwoProportionTest.z(successes1: 60, n1: 100, successes0: 40, n0: 100) - 2.828427) < 1e-5)
        #expect(TwoProportionTest.z(successes1: 0, n1: 0, successes0: 3, n0: 10) == 0)
        #expect(abs(TwoProportionTest.criticalZ(significance: 0.05) - 1.959964) < 1e-5)
        #expect(abs(TwoProportionTest.criticalZ(significance: 0.001) - 3.290527) < 1e-5)
        #expect(abs(TwoProportionTest.normalQuantile(0.01) + 2.326348) < 1e-5)
    }

    /// Negative share 20 % for 90 minutes, then `shiftedShare` from then on (a new level:
    /// the episode ends once the baseline window has caught up with it). A return to 20 %
    /// would be a shift of its own against the hour before, and alert again.
    func run(shiftedShare: Double, significance: Double = 0.001, postsPerMinute: Int = 50) -> [Alert] {
        var configuration = Self.sentimentOnly
        configuration.sentiment.significance = significance
        var detector = AlertDetector(configuration: configuration)
        return SyntheticSeries.run(&detector, minutes: 240) { minute in
            let share = minute >= 90 ? shiftedShare : 0.2
            return [SyntheticSeries.bucket("mood", minute: SyntheticSeries.t0 + Int64(minute), count: postsPerMinute,
                                           negativeShare: share, positiveShare: 0.4)]
        }
    }

    @Test func significantShiftStartsOnceAndEnds() throws {
        let alerts = run(shiftedShare: 0.5)
        let started = alerts.filter { $0.state == .started }
        #expect(started.count == 1 && alerts.filter { $0.state == .ended }.count == 1, "\(alerts.map { "\($0.state) \($0.start) \($0.end) \($0.observed) \($0.expected)" })")
        let alert = try #require(started.first)
        #expect(alert.kind == .sentimentShift && alert.label == .negative)
        // The 15-minute recent window must move by minimumShift (0.1) first: 30 points more
        // negative a minute reach it in the fifth minute of the shift.
        #expect(alert.start == SyntheticSeries.date(94), "\(alert.summary)")
        #expect(alert.observed > alert.expected && abs(alert.expected - 0.2) < 0.01)
        #expect(alerts.last?.state == .ended)
    }

    @Test func smallShiftIsBelowTheMinimumShift() {
        #expect(run(shiftedShare: 0.26).isEmpty)
    }

    @Test func significanceDecidesOnFewPosts() {
        // 4 posts a minute: a 20 → 50 % shift over 15 minutes is 60 posts against 240 —
        // z ≈ 4.5: alerts at 0.001. At 1 post a minute (15 against 60) z ≈ 2.3: alerts at
        // 0.05 only, and the minimum of 30 posts blocks it anyway.
        #expect(!run(shiftedShare: 0.5, postsPerMinute: 4).isEmpty)
        #expect(run(shiftedShare: 0.5, significance: 0.05, postsPerMinute: 1).isEmpty)
    }

    @Test func threePostMinuteNeverAlerts() {
        var detector = AlertDetector(configuration: Self.sentimentOnly)
        // A steady 3 posts a minute of the usual mix, then one minute all negative.
        let alerts = SyntheticSeries.run(&detector, minutes: 120) { minute in
            [SyntheticSeries.bucket("thin", minute: SyntheticSeries.t0 + Int64(minute), count: 3,
                                    negativeShare: minute == 100 ? 1 : 0, positiveShare: minute == 100 ? 0 : 0.67)]
        }
        #expect(alerts.isEmpty, "\(alerts.map(\.summary))")
    }
}
