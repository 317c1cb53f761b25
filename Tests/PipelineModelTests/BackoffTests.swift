import PipelineModel
import Testing

@Suite struct BackoffTests {
    func waits(_ backoff: inout Backoff, _ count: Int) -> [Duration] {
        (0..<count).map { _ in backoff.next() }
    }

    @Test func linearGrowsByTheStepUpToTheCap() {
        var backoff = Backoff.linear(step: .milliseconds(250), maximum: .seconds(1))
        #expect(waits(&backoff, 6) == [.milliseconds(250), .milliseconds(500), .milliseconds(750), .seconds(1),
                                       .seconds(1), .seconds(1)])
        #expect(backoff.failures == 6)
    }

    @Test func doublingGrowsUpToTheCap() {
        var backoff = Backoff.doubling(initial: .seconds(5), maximum: .seconds(30))
        #expect(waits(&backoff, 5) == [.seconds(5), .seconds(10), .seconds(20), .seconds(30), .seconds(30)])
    }

    @Test func resetStartsTheRunOver() {
        var backoff = Backoff.doubling(initial: .seconds(1), maximum: .seconds(60))
        _ = waits(&backoff, 4)
        backoff.reset()
        #expect(backoff.failures == 0 && backoff.current == nil)
        #expect(waits(&backoff, 2) == [.seconds(1), .seconds(2)])
    }

    @Test func aCapBelowTheStartCapsTheFirstWaitToo() {
        var linear = Backoff.linear(step: .seconds(2), maximum: .seconds(1))
        var doubling = Backoff.doubling(initial: .seconds(2), maximum: .seconds(1))
        #expect(waits(&linear, 2) == [.seconds(1), .seconds(1)])
        #expect(waits(&doubling, 2) == [.seconds(1), .seconds(1)])
    }

    /// A closed form `initial × 2^(n-1)` overflows `Duration` long before a day of idle
    /// claims; the running doubling must not.
    @Test func longRunsStayAtTheCap() {
        var backoff = Backoff.doubling(initial: .seconds(60), maximum: .seconds(900))
        let all = waits(&backoff, 10_000)
        #expect(all.last == .seconds(900))
        #expect(all.prefix(5) == [.seconds(60), .seconds(120), .seconds(240), .seconds(480), .seconds(900)])
    }
}
