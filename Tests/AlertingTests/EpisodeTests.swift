import Alerting
import Foundation
import PipelineModel
import Testing

@Suite struct EpisodeTests {
    func detector(quietMinutes: Int) -> AlertDetector {
        var configuration = AlertConfiguration()
        configuration.sentiment.enabled = false
        configuration.quietMinutes = quietMinutes
        return AlertDetector(configuration: configuration)
    }

    /// 10 posts a minute with bursts of 200 at the minutes given.
    func run(_ detector: inout AlertDetector, hot: Set<Int>, minutes: Int = 90) -> [Alert] {
        SyntheticSeries.run(&detector, minutes: minutes) { minute in
            [SyntheticSeries.bucket("k", minute: SyntheticSeries.t0 + Int64(minute), count: hot.contains(minute) ? 200 : 10)]
        }
    }

    @Test func aShortLullInsideTheQuietMinutesKeepsOneEpisode() {
        var detector = detector(quietMinutes: 3)
        let alerts = run(&detector, hot: [60, 61, 63, 64])
        #expect(alerts.map(\.state) == [.started, .updated, .updated, .updated, .ended])
        #expect(Set(alerts.map(\.id)).count == 1)
        #expect(alerts.last?.start == SyntheticSeries.date(60) && alerts.last?.end == SyntheticSeries.date(65))
    }

    @Test func aLongerLullMakesTwoEpisodesWithTwoIDs() {
        var detector = detector(quietMinutes: 1)
        let alerts = run(&detector, hot: [60, 62])
        #expect(alerts.map(\.state) == [.started, .ended, .started, .ended])
        #expect(alerts[0].id == alerts[1].id && alerts[2].id == alerts[3].id && alerts[0].id != alerts[2].id)
    }

    @Test func idsAreStableAcrossRuns() {
        var first = detector(quietMinutes: 2)
        var second = detector(quietMinutes: 2)
        #expect(run(&first, hot: [70]).map(\.id) == run(&second, hot: [70]).map(\.id))
        #expect(run(&first, hot: [70]).isEmpty, "minutes already closed are ignored")
    }

    @Test func theEpisodeKeepsItsPeakEvidence() throws {
        var detector = AlertDetector(configuration: {
            var configuration = AlertConfiguration()
            configuration.sentiment.enabled = false
            return configuration
        }())
        let alerts = SyntheticSeries.run(&detector, minutes: 80) { minute in
            let count = [60: 100, 61: 300, 62: 150][minute] ?? 10
            return [SyntheticSeries.bucket("k", minute: SyntheticSeries.t0 + Int64(minute), count: count)]
        }
        let ended = try #require(alerts.last)
        #expect(ended.state == .ended && ended.observed == 300)
        #expect(alerts.first?.observed == 100)
        #expect(ended.summary.hasPrefix("Volume spike on \"k\" ended (2026-01-01 01:00–2026-01-01 01:03 UTC): 300 posts/min"))
    }
}
