import PipelineModel
import PipelineTesting
import Testing
@testable import Storage

/// `IDTable` against `Dictionary` under random inserts, replacements and removals:
/// the same answers after every step, through growth and back-shifting removals.
@Suite struct IDTableTests {
    final class Object {
        let value: Int
        init(_ value: Int) { self.value = value }
    }

    @Test func behavesAsADictionary() {
        var random = SplitMix64(seed: 17)
        var table = IDTable<Object>()
        var reference: [String: Int] = [:]
        // Few distinct ids, so removals hit and probe runs wrap around; long shared prefixes
        // as post ids have; "\u{212A}" and "K" are equal Strings (canonical equivalence).
        let ids = (0..<400).map { "1800000000000\($0)" } + ["K", "\u{212A}", "é", "e\u{301}", ""]
        for step in 0..<20_000 {
            let id = ids.randomElement(using: &random)!
            switch Int.random(in: 0..<5, using: &random) {
            case 0:
                #expect(table.updateValue(Object(step), forKey: id)?.value == reference.updateValue(step, forKey: id))
            case 1:
                let held = reference[id]
                #expect(table.insertIfAbsent(Object(step), forKey: id)?.value == held)
                if held == nil { reference[id] = step }
            case 2:
                #expect(table.removeValue(forKey: id)?.value == reference.removeValue(forKey: id))
            case 3:
                let even = reference[id].map { $0 % 2 == 0 } ?? false
                #expect(table.removeValue(forKey: id, if: { $0.value % 2 == 0 })?.value == (even ? reference.removeValue(forKey: id) : nil))
            default:
                table[id] = nil
                reference[id] = nil
            }
            #expect(table.count == reference.count)
            if step % 500 == 0 {
                for id in ids { #expect(table[id]?.value == reference[id], "\(id)") }
                #expect(table.values.map(\.value).sorted() == reference.values.sorted())
            }
        }
    }
}
