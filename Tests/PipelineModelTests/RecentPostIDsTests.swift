import PipelineModel
import Testing

/// `RecentPostIDs`: distinct ids stay distinct however they are held, and the bound keeps
/// the newest half.
@Suite struct RecentPostIDsTests {
    @Test func decimalTextsThatNameTheSameNumberStayDistinct() {
        var ids = RecentPostIDs(limit: 100)
        ids.insert("7")
        #expect(ids.contains("7"))
        #expect(!ids.contains("07"))
        #expect(!ids.contains("+7"))
        ids.insert("07")
        #expect(ids.contains("07"))
        // Above 2⁶⁴ and non-decimal ids are held as text.
        ids.insert("18446744073709551616")
        ids.insert("at://did:plc:abc/app.bsky.feed.post/1")
        #expect(ids.contains("18446744073709551616"))
        #expect(!ids.contains("18446744073709551615"))
        #expect(ids.contains("at://did:plc:abc/app.bsky.feed.post/1"))
        #expect(RecentPostIDs.number("1990000000000000000") == 1_990_000_000_000_000_000)
        #expect(RecentPostIDs.number("0") == 0)
        #expect(RecentPostIDs.number("") == nil)
    }

    @Test func theNewestHalfOfTheLimitIsAlwaysRemembered() {
        var ids = RecentPostIDs(limit: 1_000)
        for n in 0..<10_000 {
            ids.insert(String(1_000_000 + n))
            #expect(ids.count <= 1_000)
            for back in stride(from: 0, through: min(n, 499), by: 37) {
                #expect(ids.contains(String(1_000_000 + n - back)))
            }
        }
        #expect(!ids.contains("1000000"))
    }
}
