@testable import Dashboard
import Foundation
import PipelineModel
import Storage
import Testing

@Suite struct TimeWindowTests {
    let now = Date(timeIntervalSince1970: 1_795_953_630) // 12:00:30Z

    @Test func rangesRollUp() {
        #expect(TimeRange.fifteenMinutes.resolution == .minute)
        #expect(TimeRange.hour.resolution == .minute)
        #expect(TimeRange.sixHours.resolution == .fiveMinutes)
        #expect(TimeRange.day.resolution == .hour)
        #expect(TimeRange.week.resolution == .hour)
    }

    @Test func windowEndsWithTheBucketHoldingTheAnchor() {
        let w = TimeWindow(range: .hour, anchor: now)
        #expect(TimeFormat.iso8601(w.end) == "2026-11-29T12:01:00Z")
        #expect(TimeFormat.iso8601(w.start) == "2026-11-29T11:01:00Z")
        #expect(w.bucketCount == 60)
        let six = TimeWindow(range: .sixHours, anchor: now)
        #expect(TimeFormat.iso8601(six.end) == "2026-11-29T12:05:00Z")
        #expect(six.bucketCount == 72)
        #expect(TimeWindow(range: .week, anchor: now).bucketCount == 168)
    }

    @Test func anchorsAtLatestPostWhenNothingIsRecent() {
        let old = now.addingTimeInterval(-5 * 86_400)
        let w = TimeWindow.resolve(range: .hour, explicitEnd: nil, now: now, latest: old)
        #expect(w.anchoredToLatest)
        #expect(w.anchor == old)
        let recent = TimeWindow.resolve(range: .hour, explicitEnd: nil, now: now, latest: now.addingTimeInterval(-60))
        #expect(!recent.anchoredToLatest)
        #expect(recent.anchor == now)
        let explicit = TimeWindow.resolve(range: .hour, explicitEnd: old, now: now, latest: now)
        #expect(explicit.anchor == old && !explicit.anchoredToLatest)
    }

    @Test func gridPlacesBucketsAndFillsGaps() {
        let w = TimeWindow(range: .fifteenMinutes, anchor: now)
        var bucket = KeywordAggregate(keyword: "k", bucketStart: w.start.addingTimeInterval(120))
        bucket.add(label: .positive, compound: 0.5, at: bucket.bucketStart)
        var outside = KeywordAggregate(keyword: "k", bucketStart: w.end)
        outside.add(label: .negative, compound: -0.5, at: w.end)
        let grid = w.grid(keyword: "k", buckets: [bucket, outside])
        #expect(grid.count == 15)
        #expect(grid.map(\.count) == [0, 0, 1] + Array(repeating: 0, count: 12))
        #expect(grid[14].bucketStart == w.end.addingTimeInterval(-60))
    }
}
