import Foundation
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// The shared contract suites, run against the in-memory implementations.
@Suite struct InMemoryContractTests {
    @Test(arguments: TweetQueueContract.Check.allCases)
    func queue(_ check: TweetQueueContract.Check) async throws {
        try await TweetQueueContract.run(check) { clock, maxFailures in
            InMemoryTweetQueue(configuration: .init(maxFailures: maxFailures), now: clock.source)
        }
    }

    @Test(arguments: SentimentStoreContract.Check.allCases)
    func store(_ check: SentimentStoreContract.Check) async throws {
        try await SentimentStoreContract.run(check) { InMemorySentimentStore() }
    }

    /// With time retention on, a store must keep every promise for data inside the retention.
    @Test(arguments: SentimentStoreContract.Check.allCases)
    func storeWithRetention(_ check: SentimentStoreContract.Check) async throws {
        try await SentimentStoreContract.run(check) {
            InMemorySentimentStore(configuration: .init(retention: InMemorySentimentStore.Configuration.defaultRetention))
        }
    }

    /// Retention by count: a newer post evicts the first one.
    @Test func repeatAfterEvictionIsNotCountedAgain() async throws {
        try await SentimentStoreContract.repeatAfterRetentionIsNotCountedAgain {
            InMemorySentimentStore(configuration: .init(postRetention: 1))
        } expire: { store in
            _ = try await store.record([TestPosts.scored("evicting", keywords: ["other"], compound: 0)])
        }
    }

    /// Retention by time: a post stamped now moves the horizon past the first one (a year older).
    @Test func repeatAfterPruningIsNotCountedAgain() async throws {
        try await SentimentStoreContract.repeatAfterRetentionIsNotCountedAgain {
            // Hourly roll-ups kept for good: the check reads the post's hour, a year back.
            InMemorySentimentStore(configuration: .init(retention: InMemorySentimentStore.Configuration.defaultRetention,
                                                        hourlyRetention: nil))
        } expire: { store in
            var now = TestPosts.scored("pruning", keywords: ["other"], compound: 0)
            now.post.createdAt = Date()
            _ = try await store.record([now])
        }
    }
}
