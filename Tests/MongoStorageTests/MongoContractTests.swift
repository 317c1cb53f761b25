import MongoKit
import MongoStorage
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// The shared contract suites, run against the MongoDB implementations on the test server.
@Suite struct MongoContractTests {
    /// Batches of one post (every claim takes several batches), of three (claims and
    /// releases split batches) and the default (everything a check queues fits one batch).
    @Test(arguments: TweetQueueContract.Check.allCases, [1, 3, 100])
    func queue(_ check: TweetQueueContract.Check, postsPerBatch: Int) async throws {
        try await TweetQueueContract.run(check) { clock, maxFailures in
            let queue = MongoTweetQueue(database: try MongoTestDatabase.make(),
                                        configuration: .init(maxFailures: maxFailures, postsPerBatch: postsPerBatch),
                                        now: clock.source)
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
