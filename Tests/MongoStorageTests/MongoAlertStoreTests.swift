import MongoStorage
import PipelineTesting
import Storage
import Testing

/// The alert store contract on the MongoDB test server.
@Suite struct MongoAlertStoreTests {
    @Test(arguments: AlertStoreContract.Check.allCases)
    func contract(_ check: AlertStoreContract.Check) async throws {
        try await AlertStoreContract.run(check) {
            let store = MongoAlertStore(database: try MongoTestDatabase.make())
            try await store.prepare()
            return store
        }
    }
}
