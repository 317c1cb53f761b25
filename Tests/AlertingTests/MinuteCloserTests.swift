import Alerting
import Foundation
import PipelineModel
import Testing

@Suite struct MinuteCloserTests {
    func bucket(_ keyword: String, _ minute: Int64, count: Int) -> KeywordAggregate {
        SyntheticSeries.bucket(keyword, minute: SyntheticSeries.t0 + minute, count: count)
    }

    @Test func aMinuteClosesOnceAPostLatenessMinutesNewerArrives() {
        var closer = MinuteCloser(latenessMinutes: 2)
        closer.observe(bucket("a", 0, count: 3))
        closer.observe(bucket("a", 0, count: 5))  // a fuller value of the same bucket
        closer.observe(bucket("b", 1, count: 1))
        closer.observe(bucket("a", 0, count: 4))  // an older value arriving late: ignored
        closer.observe(bucket("a", 2, count: 1))
        #expect(closer.closable().isEmpty, "minute 0 may still receive posts scored late")
        closer.observe(bucket("a", 3, count: 1))
        let closed = closer.closable()
        #expect(closed.map(\.minute) == [SyntheticSeries.t0])
        #expect(closed.first?.buckets.map(\.count) == [5])
        closer.observe(bucket("a", 0, count: 9))
        #expect(closer.lateUpdates == 1)
        #expect(closer.closeAll().map { $0.minute - SyntheticSeries.t0 } == [1, 2, 3])
    }
}
