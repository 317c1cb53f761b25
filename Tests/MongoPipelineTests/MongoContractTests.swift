import MongoKit
import MongoPipeline
import PipelineCore
import PipelineTesting
import Testing

/// The shared contract suites, run against the MongoDB implementations on the test server.
@Suite struct MongoContractTests {
    @Test(arguments: TweetQueueContract.Check.allCases)
    func queue(_ check: TweetQueueContract.Check) async throws {
        try await TweetQueueContract.run(check) { clock, maxFailures in
            let queue = MongoTweetQueue(database: try MongoTestDatabase.make(),
                                        configuration: .init(maxFailures: maxFailures), now: clock.source)
            try await queue.prepare()
            return queue
        }
    }

    @Test(arguments: SentimentStoreContract.Check.allCases)
    func store(_ check: SentimentStoreContract.Check) async throws {
        try await SentimentStoreContract.run(check) {
            let store = MongoSentimentStore(database: try MongoTestDatabase.make())
            try await store.prepare()
            return store
        }
    }
}
