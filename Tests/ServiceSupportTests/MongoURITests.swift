import ServiceSupport
import Testing

/// The connection string every service hands to the driver, and what messages show of it.
@Suite("MongoDB URI")
struct MongoURITests {
    @Test(arguments: [
        ("mongodb://h:1", "mongodb://h:1/?"),
        ("mongodb://h:1/db", "mongodb://h:1/db?"),
        ("mongodb://h:1/db?replicaSet=rs0", "mongodb://h:1/db?replicaSet=rs0&"),
        ("mongodb://a:1,b:2/?", "mongodb://a:1,b:2/?"),
    ])
    func missingTimeoutsAreAdded(given: String, prefix: String) {
        let value = MongoURI(given).value
        #expect(value == prefix + "serverSelectionTimeoutMS=2000&connectTimeoutMS=2000&socketTimeoutMS=15000")
    }

    @Test func timeoutsTheUserSetAreKept() {
        let value = MongoURI("mongodb://h/?ServerSelectionTimeoutMS=9000&socketTimeoutMS=0").value
        #expect(value == "mongodb://h/?ServerSelectionTimeoutMS=9000&socketTimeoutMS=0&connectTimeoutMS=2000")
    }

    @Test func messagesShowTheGivenURIWithoutCredentials() {
        let uri = MongoURI("mongodb://user:s3cret@db:27017/sentiment?authSource=admin")
        #expect(uri.redacted == "mongodb://db:27017/sentiment?authSource=admin")
        #expect(!uri.redacted.contains("s3cret"))
        #expect(uri.value.contains("user:s3cret@db"))
        // An @ after the host list (in an option) is not user info.
        #expect(MongoURI.redact("mongodb://db/?appName=a@b") == "mongodb://db/?appName=a@b")
    }
}
