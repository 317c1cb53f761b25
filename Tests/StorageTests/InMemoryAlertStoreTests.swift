import PipelineTesting
import Storage
import Testing

@Suite struct InMemoryAlertStoreTests {
    @Test(arguments: AlertStoreContract.Check.allCases)
    func contract(_ check: AlertStoreContract.Check) async throws {
        try await AlertStoreContract.run(check) { InMemoryAlertStore() }
    }
}
