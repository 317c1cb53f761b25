import Alerting
import Foundation
import PipelineModel
import Testing

@Suite struct VolumeSpikeTests {
    static var volumeOnly: AlertConfiguration {
        var configuration = AlertConfiguration()
        configuration.sentiment.enabled = false
        return configuration
    }

    @Test func plantedSpikeStartsOnceAndEnds() throws {
        var detector = AlertDetector(configuration: Self.volumeOnly)
        var series = SyntheticSeries()
        let alerts = SyntheticSeries.run(&detector, minutes: 180) { minute in
            let mean = (90..<95).contains(minute) ? 200.0 : 20.0
            return [SyntheticSeries.bucket("spiky", minute: SyntheticSeries.t0 + Int64(minute), count: series.noisy(mean)),
                    SyntheticSeries.bucket("flat", minute: SyntheticSeries.t0 + Int64(minute), count: series.noisy(20))]
        }
        let started = alerts.filter { $0.state == .started }
        let ended = alerts.filter { $0.state == .ended }
        #expect(started.count == 1 && ended.count == 1, "\(alerts.map { "\($0.keyword) \($0.state) \($0.start)" })")
        let start = try #require(started.first)
        let end = try #require(ended.first)
        #expect(start.keyword == "spiky" && start.kind == .volumeSpike)
        #expect(start.start == SyntheticSeries.date(90))
        #expect(end.id == start.id, "one episode, one id")
        #expect(end.end == SyntheticSeries.date(95), "the end is the end of the last hot minute")
        #expect(end.observed > 150 && end.expected < 30, "peak evidence: \(end)")
        #expect(alerts.allSatisfy { $0.keyword == "spiky" })
        // Every minute of the burst after the first updates the one episode.
        #expect(alerts.filter { $0.state == .updated }.count == 4)
        #expect(detector.openAlerts.isEmpty)
    }

    @Test func slowDriftDoesNotAlert() {
        var detector = AlertDetector(configuration: Self.volumeOnly)
        var series = SyntheticSeries()
        // From 100 to 300 posts a minute over a day: a tripling, but never a jump.
        let alerts = SyntheticSeries.run(&detector, minutes: 1_440) { minute in
            [SyntheticSeries.bucket("drift", minute: SyntheticSeries.t0 + Int64(minute),
                                    count: series.noisy(100 + 200 * Double(minute) / 1_440))]
        }
        #expect(alerts.isEmpty, "\(alerts.map(\.summary))")
    }

    @Test func aFewPostsAMinuteNeverAlert() {
        var detector = AlertDetector(configuration: AlertConfiguration())
        // A sparse keyword: nothing for most minutes, then 3 posts in one minute — all
        // negative where the few before were positive. Below every minimum: no alert.
        let alerts = SyntheticSeries.run(&detector, minutes: 240) { minute in
            switch minute {
            case 200: [SyntheticSeries.bucket("sparse", minute: SyntheticSeries.t0 + 200, count: 3,
                                              negativeShare: 1, positiveShare: 0)]
            case _ where minute % 7 == 0:
                [SyntheticSeries.bucket("sparse", minute: SyntheticSeries.t0 + Int64(minute), count: 1,
                                        negativeShare: 0, positiveShare: 1)]
            default: []
            }
        }
        #expect(alerts.isEmpty, "\(alerts.map(\.summary))")
    }

    @Test func minimumCountHoldsEvenForAQuietKeyword() {
        var configuration = Self.volumeOnly
        configuration.volume.minimumCount = 50
        var detector = AlertDetector(configuration: configuration)
        // 1 → 40 posts is 39 robust deviations, but under the minimum of 50.
        let alerts = SyntheticSeries.run(&detector, minutes: 100) { minute in
            [SyntheticSeries.bucket("quiet", minute: SyntheticSeries.t0 + Int64(minute), count: minute == 80 ? 40 : 1)]
        }
        #expect(alerts.isEmpty)
    }

    @Test func warmUpKeepsANewKeywordQuiet() {
        var detector = AlertDetector(configuration: Self.volumeOnly)
        let alerts = SyntheticSeries.run(&detector, minutes: 60) { minute in
            [SyntheticSeries.bucket("new", minute: SyntheticSeries.t0 + Int64(minute), count: minute == 10 ? 500 : 5)]
        }
        #expect(alerts.isEmpty, "a spike in the first warmupMinutes has no baseline to stand on")
    }

    /// A keyword that jumps from 5 to 60 posts a minute at 09:00 every day: a spike on the
    /// first two days (no history of that hour), the daily routine from the third on.
    @Test func dailyPatternAlertsOnlyUntilTwoDaysAreKnown() {
        var detector = AlertDetector(configuration: Self.volumeOnly)
        var series = SyntheticSeries()
        let alerts = SyntheticSeries.run(&detector, minutes: 5 * 1_440) { minute in
            let hour = minute % 1_440 / 60
            return [SyntheticSeries.bucket("daily", minute: SyntheticSeries.t0 + Int64(minute),
                                           count: series.noisy(hour == 9 ? 60 : 5))]
        }
        let startedDays = alerts.filter { $0.state == .started }
            .map { Int(AlertDetector.minute(of: $0.start) - SyntheticSeries.t0) / 1_440 }
        #expect(startedDays == [0, 1], "\(alerts.filter { $0.state == .started }.map(\.summary))")
    }

    @Test func minutesWithoutABucketCountAsZero() {
        // The same series fed with explicit empty buckets and with no bucket at all.
        func run(explicitZeros: Bool) -> [Alert] {
            var detector = AlertDetector(configuration: Self.volumeOnly)
            return SyntheticSeries.run(&detector, minutes: 200) { minute in
                let count = minute < 60 ? 12 : (minute < 100 ? (minute % 2 == 0 ? 0 : 24) : (minute < 103 ? 150 : 0))
                if count == 0 && !explicitZeros { return [] }
                return [SyntheticSeries.bucket("gappy", minute: SyntheticSeries.t0 + Int64(minute), count: count)]
            }
        }
        let implicit = run(explicitZeros: false)
        #expect(implicit == run(explicitZeros: true))
        #expect(implicit.map(\.state) == [.started, .updated, .updated, .ended], "\(implicit.map(\.summary))")
    }

    @Test func aQuietStretchNobodyClosedEndsTheEpisode() {
        var detector = AlertDetector(configuration: Self.volumeOnly)
        var alerts = SyntheticSeries.run(&detector, minutes: 61) { minute in
            [SyntheticSeries.bucket("burst", minute: SyntheticSeries.t0 + Int64(minute), count: minute == 60 ? 300 : 10)]
        }
        #expect(alerts.map(\.state) == [.started])
        // The feed goes silent; the next minute anyone closes is an hour later.
        alerts += detector.close(minute: SyntheticSeries.t0 + 120, buckets: [])
        #expect(alerts.map(\.state) == [.started, .ended])
        #expect(alerts.last?.end == SyntheticSeries.date(61))
    }

    @Test func keywordsAreBoundedAndIdleOnesForgotten() {
        var configuration = Self.volumeOnly
        configuration.maxKeywords = 3
        configuration.volume.seasonalDays = 0
        var detector = AlertDetector(configuration: configuration)
        _ = detector.close(minute: SyntheticSeries.t0, buckets: ["a", "b", "c", "d"].map {
            SyntheticSeries.bucket($0, minute: SyntheticSeries.t0, count: 1)
        })
        #expect(detector.watchedKeywords == 3 && detector.unwatchedBuckets == 1)
        // Idle past every window: forgotten at the next hour boundary.
        _ = detector.close(minute: SyntheticSeries.t0 + 600, buckets: [])
        #expect(detector.watchedKeywords == 0)
    }
}
