@testable import Dashboard
import Foundation
import Testing

@Suite struct TimeAxisTests {
    let noon = Date(timeIntervalSince1970: 1_795_953_600) // 2026-11-29T12:00:00Z

    @Test func formatsUTC() {
        #expect(TimeFormat.iso8601(noon) == "2026-11-29T12:00:00Z")
        #expect(TimeFormat.clock(noon.addingTimeInterval(65)) == "12:01")
        #expect(TimeFormat.day(noon) == "Nov 29")
        #expect(TimeFormat.span(from: noon, to: noon.addingTimeInterval(60)) == "Nov 29 12:00–12:01 UTC")
        #expect(TimeFormat.span(from: noon, to: noon.addingTimeInterval(86_400)) == "Nov 29 12:00–Nov 30 12:00 UTC")
        #expect(TimeFormat.iso8601(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(TimeFormat.age(of: noon, now: noon.addingTimeInterval(7200)) == "2 h ago")
    }

    @Test func hourWindowGetsTenMinuteTicksOnRoundMinutes() {
        let ticks = TimeTicks(interval: DateInterval(start: noon, duration: 3600))
        #expect(ticks.step == 600)
        #expect(ticks.ticks.map(\.label) == ["12:00", "12:10", "12:20", "12:30", "12:40", "12:50", "13:00"])
    }

    @Test func fifteenMinutesGetTwoMinuteTicks() {
        let ticks = TimeTicks(interval: DateInterval(start: noon.addingTimeInterval(60), duration: 900))
        #expect(ticks.step == 120)
        #expect(ticks.ticks.first?.label == "12:02")
    }

    @Test func weekGetsDayLabels() {
        let ticks = TimeTicks(interval: DateInterval(start: noon, duration: 7 * 86_400))
        #expect(ticks.step == 86_400)
        #expect(ticks.ticks.map(\.label) == ["Nov 30", "Dec 1", "Dec 2", "Dec 3", "Dec 4", "Dec 5", "Dec 6"])
    }

    @Test func dayWindowLabelsMidnightWithTheDate() {
        let ticks = TimeTicks(interval: DateInterval(start: noon, duration: 86_400))
        #expect(ticks.step == 10_800)
        #expect(ticks.ticks.map(\.label).contains("Nov 30"))
        #expect(ticks.ticks.map(\.label).contains("15:00"))
    }

    @Test func valueTicksAreRoundAndCoverTheMaximum() {
        let axis = ValueTicks(maximum: 37)
        #expect(axis.step == 10)
        #expect(axis.top == 40)
        #expect(axis.values == [0, 10, 20, 30, 40])
        #expect(ValueTicks(maximum: 0).values == [0, 1])
        #expect(ValueTicks(maximum: 3).values == [0, 1, 2, 3])
    }

    @Test func numberFormats() {
        #expect(NumberFormat.count(1_234_567) == "1,234,567")
        #expect(NumberFormat.compound(0.456) == "+0.46")
        #expect(NumberFormat.compound(-0.2) == "\u{2212}0.20")
        #expect(NumberFormat.compound(0.001) == "0.00")
        #expect(NumberFormat.compound(nil) == "—")
        #expect(NumberFormat.percent(0.333) == "33%")
        #expect(NumberFormat.axis(2500) == "2.5k")
    }
}
