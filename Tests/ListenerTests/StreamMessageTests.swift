import PipelineModel
import Foundation
import PipelineTesting
import Testing
@testable import Listener

@Suite struct StreamMessageTests {
    func decode(_ json: String) throws -> StreamMessage {
        try StreamMessage.decode(Array(json.utf8))
    }

    @Test func decodesAFullPostMessage() throws {
        let message = try decode("""
        {"data":{"edit_history_tweet_ids":["1"],"lang":"en","author_id":"42","created_at":"2026-11-29T20:52:18.250Z",\
        "id":"1860000000000000001","text":"Tom &amp; Jerry &lt;3 café","public_metrics":{"like_count":3},"future_field":[1,2]},\
        "includes":{"users":[{"id":"7","username":"other"},{"id":"42","username":"alice","name":"Alice"}]},\
        "matching_rules":[{"id":"100","tag":"sentiment-listener:cats"},{"id":"101"}],"new_top_level":{"x":1}}
        """)
        guard case .post(let post) = message else { Issue.record("\(message)"); return }
        #expect(post.id == "1860000000000000001")
        #expect(post.text == "Tom & Jerry <3 café")
        #expect(post.authorID == "42")
        #expect(post.authorUsername == "alice")
        #expect(post.lang == "en")
        #expect(post.createdAt == Date(timeIntervalSince1970: 1_795_985_538.25))
        #expect(post.matchingRules == [MatchingRule(id: "100", tag: "sentiment-listener:cats"), MatchingRule(id: "101")])

        let book = KeywordResolver(keywordsByRuleID: ["101": "dogs"])
        let converted = post.post(receivedAt: Date(timeIntervalSince1970: 5), keywords: post.resolveKeywords(with: book).keywords)
        #expect(converted.keywords == ["cats", "dogs"])
        #expect(converted.receivedAt == Date(timeIntervalSince1970: 5))
        #expect(converted.authorUsername == "alice")
    }

    @Test func onlyTheIdIsRequired() throws {
        guard case .post(let post) = try decode(#"{"data":{"id":"9"}}"#) else { Issue.record(); return }
        #expect(post == StreamPost(id: "9", text: ""))
    }

    @Test func numericIdsAreAccepted() throws {
        guard case .post(let post) = try decode(#"{"data":{"id":12345,"text":"t"},"matching_rules":[{"id":7}]}"#)
        else { Issue.record(); return }
        #expect(post.id == "12345")
        #expect(post.matchingRules == [MatchingRule(id: "7")])
    }

    @Test func operationalDisconnectIsRecognisedByTitleOrType() throws {
        let byTitle = try decode(#"{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons."}]}"#)
        #expect(byTitle.isOperationalDisconnect)
        let byType = try decode(#"{"errors":[{"title":"Something","type":"https://api.twitter.com/2/problems/operational-disconnect","disconnect_type":"Whatever"}]}"#)
        #expect(byType.isOperationalDisconnect)
        let byDisconnectTypeOnly = try decode(#"{"errors":[{"title":"Rule error","disconnect_type":"operational-disconnect"}]}"#)
        #expect(!byDisconnectTypeOnly.isOperationalDisconnect)
        guard case .errors(let errors) = byTitle else { Issue.record(); return }
        #expect(errors.first?.disconnectType == "UpstreamOperationalDisconnect")
    }

    @Test func unknownShapesAreToleratedNotMalformed() throws {
        #expect(try decode(#"{"meta":{"sent":"now"}}"#) == .unrecognized)
        #expect(try decode(#"{"data":"a string"}"#) == .unrecognized)
        #expect(try decode("{}") == .unrecognized)
    }

    @Test(arguments: ["", "not json", "[1,2]", "{\"data\":{\"text\":\"no id\"}}", "{\"data\":{\"id\":\"\"}}", "{\"data\":{\"id\":\"1\"}"])
    func malformedLinesThrow(line: String) {
        #expect(throws: MalformedMessage.self) { try decode(line) }
    }

    @Test func twarc2PageAndFlattenedPostForms() throws {
        let page = try decode(#"{"data":[{"id":"1","text":"a","author_id":"5"},{"id":"2","text":"b"}],"includes":{"users":[{"id":"5","username":"eve"}]}}"#)
        guard case .posts(let posts) = page else { Issue.record(); return }
        #expect(posts.map(\.id) == ["1", "2"])
        #expect(posts.first?.authorUsername == "eve")

        let flat = try decode(#"{"id":"3","text":"c &gt; d","author_id":"5","author":{"id":"5","username":"eve"},"created_at":"2026-01-01T00:00:00Z","__twarc":{"version":"2"}}"#)
        guard case .post(let flatPost) = flat else { Issue.record(); return }
        #expect(flatPost == StreamPost(id: "3", text: "c > d", authorID: "5", authorUsername: "eve",
                                       createdAt: Date(timeIntervalSince1970: 1_767_225_600)))
    }

    @Test func splitUTF8NeverReachesTheDecoder() throws {
        // Framing on bytes, decoding whole lines: a cut in the middle of "😀" is harmless.
        let line = Array(#"{"data":{"id":"1","text":"😀"}}"#.utf8) + [13, 10]
        var framer = LineFramer()
        let cut = line.firstIndex(of: 0xF0)! + 2
        #expect(framer.append(line[..<cut]).isEmpty)
        guard case .line(let bytes)? = framer.append(line[cut...]).first,
              case .post(let post) = try StreamMessage.decode(bytes) else { Issue.record(); return }
        #expect(post.text == "😀")
    }
}

@Suite struct TimestampTests {
    @Test func parsesAPIShapes() {
        #expect(Timestamp.parse("1970-01-01T00:00:00.000Z") == Date(timeIntervalSince1970: 0))
        #expect(Timestamp.parse("2000-03-01T12:00:00Z") == Date(timeIntervalSince1970: 951_912_000))
        #expect(Timestamp.parse("2024-02-29T23:59:59.5Z") == Date(timeIntervalSince1970: 1_709_251_199.5))
        #expect(Timestamp.parse("2024-02-29T23:59:59+01:00") == Date(timeIntervalSince1970: 1_709_247_599))
        #expect(Timestamp.parse("2024-13-01T00:00:00Z") == nil)
        #expect(Timestamp.parse("yesterday") == nil)
        #expect(Timestamp.parse("2024-01-01T00:00:00") == nil)
    }

    @Test func formatRoundTrips() {
        for seconds in [0.0, 951_912_000.125, 1_709_251_199.5, 1_764_449_538.75] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.parse(Timestamp.format(date)) == date)
        }
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_912_000.125)) == "2000-03-01T12:00:00.125Z")
    }

    @Test func agreesWithFoundationsISO8601OnRandomDates() throws {
        // Random instants 1970–2100 written with and without milliseconds, in UTC and at
        // random offsets; Foundation's ISO 8601 parser is the reference.
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SplitMix64(seed: 2026)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        for _ in 0..<500 {
            // From day 2 on, so that local time at a negative offset is never before 1970.
            let seconds = 86_400 + Int(generator.next() % (4_102_444_800 - 86_400))
            let millis = Int(generator.next() % 1000)
            let withFraction = generator.next() % 2 == 0
            let offsetMinutes = generator.next() % 3 == 0 ? 0 : (Int(generator.next() % 1681) - 840) / 15 * 15
            let local = seconds + offsetMinutes * 60
            let date = CivilDate(daysSinceEpoch: local / 86_400)
            let (year, month, day) = (date.year, date.month, date.day)
            let timeOfDay = local % 86_400
            var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(timeOfDay / 3600, 2)):"
                + "\(pad(timeOfDay / 60 % 60, 2)):\(pad(timeOfDay % 60, 2))"
            if withFraction { text += ".\(pad(millis, 3))" }
            if offsetMinutes == 0 {
                text += "Z"
            } else {
                text += (offsetMinutes > 0 ? "+" : "-") + "\(pad(abs(offsetMinutes) / 60, 2)):\(pad(abs(offsetMinutes) % 60, 2))"
            }
            let reference = try #require((withFraction ? fractional : plain).date(from: text), "\(text)")
            let parsed = try #require(Timestamp.parse(text), "\(text)")
            #expect(abs(parsed.timeIntervalSince1970 - reference.timeIntervalSince1970) < 0.0005, "\(text)")
            #expect(abs(parsed.timeIntervalSince1970 - (Double(seconds) + (withFraction ? Double(millis) / 1000 : 0))) < 0.0005)
        }
    }
}

