import Wiring
import MongoKit
import Testing

/// The connection string every service hands to the driver, and what messages show of it.
@Suite("MongoDB URI")
struct MongoURITests {
    static func timeouts(_ uri: MongoURI) -> [Int32?] {
        ["serverSelectionTimeoutMS", "connectTimeoutMS", "socketTimeoutMS"].map { uri.connection.integerOption($0) }
    }

    @Test(arguments: ["mongodb://h:1", "mongodb://h:1/db", "mongodb://h:1/db?replicaSet=rs0", "mongodb://a:1,b:2/?",
                      "mongodb://admin:pa%3FS3cret@h:1/db", "mongodb://admin:pa%2FS%40cret@h:1/db?authSource=admin"])
    func missingTimeoutsAreAddedThroughTheURIAPI(given: String) throws {
        let uri = try MongoURI(given)
        #expect(Self.timeouts(uri) == [2000, 2000, 15000])
        // Options never end up in the database name.
        #expect(uri.connection.database == (given.contains("/db") ? "db" : nil))
    }

    @Test func timeoutsTheUserSetAreKept() throws {
        let uri = try MongoURI("mongodb://h/?ServerSelectionTimeoutMS=9000&socketTimeoutMS=0")
        #expect(Self.timeouts(uri) == [9000, 2000, 0])
    }

    @Test(arguments: [
        ("mongodb://user:s3cret@db:27017/sentiment?authSource=admin", "mongodb://user:***@db:27017/sentiment"),
        ("mongodb://admin:p%40ss%2Fs3cret%3F@db.example/sentiment", "mongodb://admin:***@db.example:27017/sentiment"),
        ("mongodb://reader@db/?authMechanism=MONGODB-X509", "mongodb://reader@db:27017"),
        ("mongodb://db/?appName=a@b", "mongodb://db:27017"),
        ("mongodb://a:1,[::1]:2/x", "mongodb://a:1,[::1]:2/x"),
    ])
    func messagesShowThePasswordAsStars(given: String, shown: String) throws {
        let uri = try MongoURI(given)
        #expect(uri.redacted == shown)
        #expect(!uri.redacted.contains("s3cret"))
    }

    @Test(arguments: ["mongodb://admin:pa/S3cret@host/db", "mongodb://admin:pa@S3cret@host/db",
                      "mongodb://admin:S3cret@host:notaport/db", "mongodb://admin:pa:S3cret@@host/db",
                      "admin:S3cret@host", "mongodb://admin:pa/S3cret@host/db?appName=x@y"])
    func anUnparsableURIIsOneLineWithoutThePassword(given: String) {
        do {
            _ = try MongoURI(given)
            Issue.record("accepted \(given)")
        } catch {
            #expect(error.description.hasPrefix("--mongo "))
            #expect(error.description.contains("***@"))
            #expect(!error.description.contains("S3cret") && !error.description.contains("pa/"))
            #expect(!error.description.contains("\n"))
        }
        #expect(!MongoURI.redact(given).contains("S3cret"))
    }

    /// A `?` in the password (not percent-encoded): libmongoc may accept it; then the
    /// added timeouts must still be options, not part of the database name (the old text
    /// editing made `db&serverSelectionTimeoutMS=2000…`, and the pipeline hung 30 s).
    @Test func aQuestionMarkInThePasswordNeitherLeaksNorMovesTheOptions() {
        let given = "mongodb://admin:pa?S3cret@host/db"
        if let uri = try? MongoURI(given) {
            #expect(uri.connection.database == "db")
            #expect(Self.timeouts(uri) == [2000, 2000, 15000])
            #expect(!uri.redacted.contains("S3cret"))
        } else {
            #expect(!MongoURI.redact(given).contains("S3cret"))
        }
    }

    @Test func stringsWithoutUserInfoAreShownAsGiven() {
        #expect(MongoURI.redact("not-a-uri") == "not-a-uri")
        #expect(MongoURI.redact("mongodb://h:1/db") == "mongodb://h:1/db")
    }
}
