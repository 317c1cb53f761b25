import Testing
@testable import StreamSim

/// The `--fault` spec language.
struct StreamFaultTests {
    @Test func parsesKindsTargetsAndParameters() throws {
        #expect(try StreamFault.parse("stall@2:after=10,seconds=1.5")
            == StreamFault(.stall(afterPosts: 10, seconds: 1.5), on: .range(2...2)))
        #expect(try StreamFault.parse("disconnect:after=3") == StreamFault(.disconnect(afterPosts: 3)))
        #expect(try StreamFault.parse("429@1-3:reset=7") == StreamFault(.rateLimited(resetSeconds: 7), on: .range(1...3)))
        #expect(try StreamFault.parse("too-many-connections@4+")
            == StreamFault(.tooManyConnections(resetSeconds: 60), on: .from(4)))
        #expect(try StreamFault.parse("503@*") == StreamFault(.unavailable))
        #expect(try StreamFault.parse("unauthorized") == StreamFault(.unauthorized))
        #expect(try StreamFault.parse("operational-disconnect@1:after=0")
            == StreamFault(.operationalDisconnect(afterPosts: 0), on: .range(1...1)))
    }

    @Test func descriptionRoundTrips() throws {
        for spec in ["stall@2:after=10,seconds=1.5", "disconnect@1+:after=3", "rate-limit@*:reset=7", "unavailable@2-4"] {
            let fault = try StreamFault.parse(spec)
            #expect(try StreamFault.parse(fault.description) == fault)
        }
    }

    @Test(arguments: ["explode", "stall@0", "stall@x", "stall@3-1", "stall:after", "stall:after=-1",
                      "disconnect:seconds=3", "503:reset=1"])
    func rejectsBadSpecs(spec: String) {
        #expect(throws: StreamFault.SpecError.self) { try StreamFault.parse(spec) }
    }

    @Test func selectorsPickConnections() {
        #expect(ConnectionSelector.range(2...3).contains(3))
        #expect(!ConnectionSelector.range(2...3).contains(4))
        #expect(ConnectionSelector.from(2).contains(9))
        #expect(!ConnectionSelector.from(2).contains(1))
        #expect(ConnectionSelector.all.contains(1))
    }
}
