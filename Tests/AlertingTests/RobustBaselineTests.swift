import Alerting
import PipelineModel
import Testing

@Suite struct RobustBaselineTests {
    @Test func knownValues() {
        var odd: [Int32] = [1, 2, 3, 4, 100]
        #expect(RobustBaseline.medianAndMAD(&odd) == (3, 1))
        var even: [Int32] = [1, 2, 3, 4]
        #expect(RobustBaseline.medianAndMAD(&even) == (2.5, 1))
        let sorted: [Int32] = [1, 2, 3, 4, 100]
        #expect(sorted.withUnsafeBufferPointer { RobustBaseline.medianAndMAD(sorted: $0) } == (3, 1))
    }

    /// The walk over a sorted window agrees with selection on random windows of every size.
    @Test func sortedWalkAgreesWithSelection() {
        var random = SplitMix64(seed: 3)
        for size in 1...70 {
            for _ in 0..<20 {
                var values = (0..<size).map { _ in Int32(random.next(below: 12)) }
                let sorted = values.sorted()
                let walked = sorted.withUnsafeBufferPointer { RobustBaseline.medianAndMAD(sorted: $0) }
                let selected = RobustBaseline.medianAndMAD(&values)
                #expect(walked == selected, "\(sorted)")
            }
        }
    }
}
