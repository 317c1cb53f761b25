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
}
