import Consumer
import Testing

@Suite struct IdleBackoffTests {
    @Test func doublesUpToTheCeilingAndStartsOverAfterWork() {
        var backoff = IdleBackoff(initial: .milliseconds(5), maximum: .milliseconds(30))
        #expect((0..<5).map { _ in backoff.next() } ==
                [.milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(30), .milliseconds(30)])
        backoff.reset()
        #expect(backoff.next() == .milliseconds(5))
    }

    @Test func aCeilingBelowTheStartIsRaisedToIt() {
        var backoff = IdleBackoff(initial: .seconds(1), maximum: .milliseconds(1))
        #expect(backoff.next() == .seconds(1))
        #expect(backoff.next() == .seconds(1))
    }
}
