import Testing
@testable import StreamSim

/// Add/delete semantics of the rules endpoint, without HTTP.
struct RuleBookTests {
    @Test func addAssignsSequentialIdsAndDryRunChangesNothing() {
        var book = RuleBook(firstID: 100)
        let dry = book.add([.init(value: "coffee", tag: "c")], dryRun: true)
        #expect(dry.created.map(\.value) == ["coffee"])
        #expect(book.rules.isEmpty)
        let outcome = book.add([.init(value: "coffee", tag: "c"), .init(value: "tea")], dryRun: false)
        #expect(outcome.created.map(\.id) == ["100", "101"])
        #expect(book.rules.map(\.tag) == ["c", nil])
    }

    @Test func anInvalidRuleRejectsTheWholeRequest() {
        var book = RuleBook()
        let outcome = book.add([.init(value: "coffee"), .init(value: "(tea")], dryRun: false)
        #expect(outcome.created.isEmpty)
        #expect(outcome.valid == 1 && outcome.invalid == 1)
        #expect(book.rules.isEmpty)
    }

    @Test func duplicatesAreSkippedOthersCreated() {
        var book = RuleBook(firstID: 1)
        _ = book.add([.init(value: "coffee")], dryRun: false)
        let outcome = book.add([.init(value: "coffee"), .init(value: "tea")], dryRun: false)
        #expect(outcome.created.map(\.value) == ["tea"])
        #expect(outcome.rejected == [.duplicate(value: "coffee", id: "1")])
    }

    @Test func ruleLimitIsEnforced() {
        var book = RuleBook(maxRules: 2)
        let outcome = book.add([.init(value: "a"), .init(value: "b"), .init(value: "c")], dryRun: false)
        #expect(outcome.created.count == 2)
        #expect(outcome.rejected == [.limitReached(value: "c", limit: 2)])
    }

    @Test func deleteByIdOrValueReportsUnknowns() {
        var book = RuleBook(firstID: 1)
        _ = book.add([.init(value: "a"), .init(value: "b"), .init(value: "c")], dryRun: false)
        let dry = book.delete(ids: ["1"], values: [], dryRun: true)
        #expect(dry.deleted.count == 1 && book.rules.count == 3)
        let outcome = book.delete(ids: ["1", "99"], values: ["c"], dryRun: false)
        #expect(outcome.deleted.map(\.value) == ["a", "c"])
        #expect(outcome.notFound == ["99"])
        #expect(book.rules.map(\.value) == ["b"])
    }

    @Test func generationChangesOnlyOnRealChanges() {
        var book = RuleBook()
        _ = book.add([.init(value: "a")], dryRun: true)
        #expect(book.generation == 0)
        _ = book.add([.init(value: "a")], dryRun: false)
        _ = book.delete(ids: ["nope"], values: [], dryRun: false)
        #expect(book.generation == 1)
    }
}
