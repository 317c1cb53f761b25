import Foundation
import PipelineModel
import StreamRules

/// The bytes of the stream messages the feed sends: a post of the archive with the
/// `matching_rules` of the current rules.
extension StreamFeed {
    /// Appends the stream message for feed position `position` if the post matches a
    /// rule; returns whether it did.
    func appendMessage(at position: Int, to buffer: inout [UInt8]) -> Bool {
        let count = archive.posts.count
        let index = position % count
        let pass = position / count
        guard let suffix = matches.suffix(for: index, of: archive.posts[index], in: ruleBook) else { return false }
        let post = archive.posts[index]
        buffer.append(contentsOf: Self.dataPrefix)
        let freshID = (pass > 0 && configuration.loop == .freshIDs) ? Self.freshID(post.id, pass: pass) : nil
        post.appendData(to: &buffer, freshID: freshID, createdAt: configuration.restamp ? Self.stamp(Date()) : nil)
        if let includes = post.includes {
            buffer.append(contentsOf: Self.includesPrefix)
            buffer.append(contentsOf: includes)
        }
        buffer.append(contentsOf: suffix)
        return true
    }

    /// `2026-12-05T14:03:07.250Z`: X's `created_at` form, in UTC with milliseconds.
    static func stamp(_ date: Date) -> [UInt8] {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (days, inDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let civil = CivilDate(daysSinceEpoch: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let text = "\(pad(civil.year, 4))-\(pad(civil.month, 2))-\(pad(civil.day, 2))T"
            + "\(pad(inDay / 3_600_000, 2)):\(pad(inDay / 60_000 % 60, 2)):\(pad(inDay / 1000 % 60, 2)).\(pad(inDay % 1000, 3))Z"
        return Array(text.utf8)
    }

    static func freshID(_ id: String, pass: Int) -> String {
        let digits = String(pass)
        return id + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static let dataPrefix = Array("{\"data\":".utf8)
    private static let includesPrefix = Array(",\"includes\":".utf8)

    /// For each feed post, the `,"matching_rules":[…]}\r\n` that ends its message, or
    /// that it matches no rule; computed on first use and kept until the rules change.
    /// Posts matching the same rules share one suffix.
    struct MatchCache: Sendable {
        private var generation: [Int]
        private var suffixOfPost: [Int32]
        private var suffixes: [[UInt8]] = []
        private var suffixIndex: [[Int]: Int32] = [:]
        private var suffixGeneration = -1

        init(postCount: Int) {
            generation = Array(repeating: -1, count: postCount)
            suffixOfPost = Array(repeating: 0, count: postCount)
        }

        /// The suffix of the message of `post` (at feed index `index`), or nil when it
        /// matches no rule of `book`.
        mutating func suffix(for index: Int, of post: ArchivedPost, in book: RuleBook) -> [UInt8]? {
            let known = suffixIndex(for: index, of: post, in: book)
            return known >= 0 ? suffixes[Int(known)] : nil
        }

        private mutating func suffixIndex(for index: Int, of post: ArchivedPost, in book: RuleBook) -> Int32 {
            if generation[index] == book.generation { return suffixOfPost[index] }
            if suffixGeneration != book.generation {
                // First lookup after a rule change: suffixes of the old rule set are stale.
                suffixes.removeAll()
                suffixIndex.removeAll()
                suffixGeneration = book.generation
            }
            let facts = PostFacts(text: post.text, lang: post.lang, authorUsername: post.authorUsername)
            let matched = book.rules.indices.filter { book.rules[$0].query.matches(facts) }
            let result: Int32
            if matched.isEmpty {
                result = -1
            } else if let known = suffixIndex[matched] {
                result = known
            } else {
                var bytes = Array(",\"matching_rules\":[".utf8)
                for (offset, ruleIndex) in matched.enumerated() {
                    let rule = book.rules[ruleIndex]
                    if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                    bytes.append(contentsOf: Array("{\"id\":".utf8))
                    JSONString.append(rule.id, to: &bytes)
                    if let tag = rule.tag {
                        bytes.append(contentsOf: Array(",\"tag\":".utf8))
                        JSONString.append(tag, to: &bytes)
                    }
                    bytes.append(UInt8(ascii: "}"))
                }
                bytes.append(contentsOf: Array("]}\r\n".utf8))
                result = Int32(suffixes.count)
                suffixes.append(bytes)
                suffixIndex[matched] = result
            }
            generation[index] = book.generation
            suffixOfPost[index] = result
            return result
        }
    }
}
