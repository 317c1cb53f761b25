import PipelineModel
import Foundation
import PipelineTesting
import Testing
@testable import Listener

@Suite struct ReconnectPolicyTests {
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    func waits(_ policy: inout ReconnectPolicy, _ cause: DisconnectCause, times: Int) -> [Duration] {
        (0..<times).map { index in
            guard case .connect(let after, _) = policy.event(.disconnected(cause, at: at(Double(index)))) else {
                Issue.record("expected a reconnect")
                return .zero
            }
            return after
        }
    }

    @Test func startsByConnectingAtOnceWithoutBackfill() {
        var policy = ReconnectPolicy()
        #expect(policy.event(.start) == .connect(after: .zero, backfillMinutes: 0))
    }

    @Test func networkErrorsBackOffLinearlyBy250msUpTo16s() {
        var policy = ReconnectPolicy()
        _ = policy.event(.start)
        let schedule = waits(&policy, .network("connection refused"), times: 70)
        #expect(schedule.prefix(5) == [.milliseconds(250), .milliseconds(500), .milliseconds(750), .seconds(1), .milliseconds(1250)])
        #expect(schedule[63] == .seconds(16))
        #expect(schedule[64...].allSatisfy { $0 == .seconds(16) })
    }

    @Test func httpErrorsBackOffExponentiallyFrom5sUpTo320s() {
        var policy = ReconnectPolicy()
        _ = policy.event(.start)
        let schedule = waits(&policy, .http(status: 503, rateLimitReset: nil), times: 9)
        #expect(schedule == [5, 10, 20, 40, 80, 160, 320, 320, 320].map { Duration.seconds($0) })
    }

    @Test func rateLimitBacksOffFrom60sDoublingWithoutResetHeader() {
        var policy = ReconnectPolicy()
        _ = policy.event(.start)
        let schedule = waits(&policy, .http(status: 429, rateLimitReset: nil), times: 6)
        #expect(schedule == [60, 120, 240, 480, 900, 900].map { Duration.seconds($0) })
    }

    @Test func rateLimitWaitsUntilTheResetHeader() {
        var policy = ReconnectPolicy()
        _ = policy.event(.start)
        let action = policy.event(.disconnected(.http(status: 429, rateLimitReset: at(137.2)), at: at(0)))
        #expect(action == .connect(after: .seconds(138), backfillMinutes: 0))
        // A reset already in the past falls back to the schedule.
        let stale = policy.event(.disconnected(.http(status: 429, rateLimitReset: at(-5)), at: at(1)))
        #expect(stale == .connect(after: .seconds(120), backfillMinutes: 0))
    }

    @Test(arguments: [401, 403, 409, 400, 404])
    func clientErrorsAreFatal(status: Int) {
        var policy = ReconnectPolicy()
        _ = policy.event(.start)
        guard case .stop(let reason?) = policy.event(.disconnected(.http(status: status, rateLimitReset: nil), at: t0)) else {
            Issue.record("HTTP \(status) must stop with a reason")
            return
        }
        #expect(reason.contains("\(status)"))
        #expect(policy.phase == .stopped)
        #expect(policy.event(.start) == .stop(reason: nil), "a stopped policy never reconnects")
    }

    @Test func healthyConnectionDropReconnectsAtOnceAndResetsBackoff() {
        var config = ReconnectPolicy.Configuration()
        config.backfillMinutes = 2
        var policy = ReconnectPolicy(configuration: config)
        _ = policy.event(.start)
        _ = waits(&policy, .http(status: 500, rateLimitReset: nil), times: 3)
        _ = waits(&policy, .network("reset"), times: 2)
        #expect(policy.event(.connected(at: at(10))) == .keepReading)
        for cause in [DisconnectCause.streamEnded, .stalled, .operationalDisconnect, .network("cut")] {
            let drop = policy.event(.disconnected(cause, at: at(3600)))
            #expect(drop == .connect(after: .zero, backfillMinutes: 2), "\(cause)")
            #expect(policy.networkFailures == 0 && policy.httpFailures == 0)
            _ = policy.event(.connected(at: at(3600)))
            _ = policy.event(.disconnected(.streamEnded, at: at(7200)))
            _ = policy.event(.connected(at: at(0)))
        }
        // After the reset the HTTP schedule starts over at 5 s.
        _ = policy.event(.disconnected(.stalled, at: at(100)))
        #expect(policy.event(.disconnected(.http(status: 502, rateLimitReset: nil), at: at(101)))
                == .connect(after: .seconds(5), backfillMinutes: 2))
    }

    @Test func earlyDropsReconnectAtOnceFirstThenBackOff() {
        var policy = ReconnectPolicy()
        _ = policy.event(.start)
        var schedule: [Duration] = []
        for index in 0..<4 {
            _ = policy.event(.connected(at: at(Double(index))))
            guard case .connect(let after, _) = policy.event(.disconnected(.streamEnded, at: at(Double(index) + 1)))
            else { Issue.record(); return }
            schedule.append(after)
        }
        #expect(schedule == [.zero, .milliseconds(500), .milliseconds(750), .seconds(1)])
    }

    @Test func stopRequestedStops() {
        var policy = ReconnectPolicy()
        _ = policy.event(.start)
        #expect(policy.event(.stopRequested) == .stop(reason: nil))
        #expect(policy.event(.disconnected(.network("x"), at: t0)) == .stop(reason: nil))
    }
}

@Suite struct StallDetectorTests {
    let start = ContinuousClock.now

    @Test func stallsOnlyAfterTimeoutOfTotalSilence() {
        var detector = StallDetector(timeout: .seconds(20), start: start)
        #expect(!detector.isStalled(at: start + .seconds(19.9)))
        #expect(detector.isStalled(at: start + .seconds(20)))
        // A heartbeat at 15 s (any bytes) restarts the window.
        detector.bytesArrived(at: start + .seconds(15))
        #expect(!detector.isStalled(at: start + .seconds(34)))
        #expect(detector.isStalled(at: start + .seconds(35)))
    }

    @Test func earlierInstantsDoNotMoveTheWindowBack() {
        var detector = StallDetector(timeout: .seconds(5), start: start + .seconds(10))
        detector.bytesArrived(at: start)
        #expect(!detector.isStalled(at: start + .seconds(14)))
    }
}

@Suite struct PostDeduplicatorTests {
    @Test func repeatsAreDroppedWithinTheWindow() {
        var dedupe = PostDeduplicator(generationSize: 3)
        var sightings: [Bool] = []
        for id in ["1", "2", "1", "3", "2"] { sightings.append(dedupe.isFirstSighting(of: id)) }
        #expect(sightings == [true, true, false, true, false])
    }

    @Test func memoryIsBoundedAndRecentIdsAreAlwaysRemembered() {
        let size = 100
        var dedupe = PostDeduplicator(generationSize: size)
        for index in 0..<10_000 {
            let first = dedupe.isFirstSighting(of: "\(index)")
            #expect(first)
            #expect(dedupe.rememberedCount <= 2 * size)
            // The last `size` ids are recognised whatever the generation boundary.
            if index >= size {
                let repeated = dedupe.isFirstSighting(of: "\(index - size + 1)")
                #expect(!repeated)
            }
        }
    }

    @Test func numericAndOtherIdsAreKeptApart() {
        // Numeric ids are stored as numbers: forms that are not the canonical decimal
        // (leading zeros, signs, overflow, letters) must not collide with it.
        var dedupe = PostDeduplicator()
        let ids = ["7", "007", "+7", "18446744073709551615", "18446744073709551616", "1844674407370955161a", "", "0", "00",
                   "1860000000000000001", "abc", "17000000000000000000001", "1700000000000000000000", "10000000000000000007",
                   "70000000000000000001", "99999999999999999999999999999999999999", "999999999999999999999999999999999999999"]
        #expect(ids.map { dedupe.isFirstSighting(of: $0) } == Array(repeating: true, count: ids.count))
        #expect(ids.map { dedupe.isFirstSighting(of: $0) } == Array(repeating: false, count: ids.count))
        #expect(dedupe.rememberedCount == ids.count)
    }

    @Test func agreesWithTwoPlainGenerationsOfSets() {
        // The reference: look in both generations, rotate when the current one is full.
        var current = Set<String>(), previous = Set<String>()
        var dedupe = PostDeduplicator(generationSize: 50)
        var random = SplitMix64(seed: 3)
        for _ in 0..<5_000 {
            let id = Bool.random(using: &random) ? "\(Int.random(in: 0..<300, using: &random))" : "x\(Int.random(in: 0..<300, using: &random))"
            var expected = false
            if !current.contains(id) && !previous.contains(id) {
                if current.count >= 50 { previous = current; current = [] }
                current.insert(id)
                expected = true
            }
            #expect(dedupe.isFirstSighting(of: id) == expected, "\(id)")
        }
    }

    @Test func backfillOverlapAfterReconnectIsFiltered() {
        var dedupe = PostDeduplicator()
        let before = (1...500).map(String.init)
        let backfill = (400...700).map(String.init)  // redelivers 400...500
        let passed = (before + backfill).filter { dedupe.isFirstSighting(of: $0) }
        #expect(passed == (1...700).map(String.init))
    }
}
