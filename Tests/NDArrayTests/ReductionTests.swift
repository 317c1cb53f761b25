import PipelineModel
import Foundation
import Testing
@testable import NDArray

@Suite("Reductions along an axis")
struct ReductionTests {
    /// Naive reduction: for every output index, collect the values along `axis`.
    static func lanes(_ data: [Double], _ shape: [Int], axis: Int) -> [[Double]] {
        var outShape = shape
        outShape.remove(at: axis)
        return (0..<outShape.reduce(1, *)).map { flat in
            var index = Naive.unravel(flat, outShape)
            index.insert(0, at: axis)
            return (0..<shape[axis]).map { k in
                index[axis] = k
                return data[Naive.ravel(index, shape)]
            }
        }
    }

    @Test("sum, max, argmax and logSumExp match naive loops on random shapes")
    func matchesNaiveLoops() throws {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let rank = Int.random(in: 1...4, using: &rng)
            let shape = (0..<rank).map { _ in Int.random(in: 1...5, using: &rng) }
            // Few distinct values so ties exercise argmax's first-maximum rule.
            let data = (0..<shape.reduce(1, *)).map { _ in Double(Int.random(in: -4...4, using: &rng)) }
            let array = try NDArray(shape: shape, scalars: data)
            let axis = Int.random(in: 0..<rank, using: &rng)
            let lanes = Self.lanes(data, shape, axis: axis)
            var reducedShape = shape
            reducedShape.remove(at: axis)

            let sum = try array.sum(axis: axis)
            #expect(sum.shape == reducedShape)
            #expect(sum.scalars == lanes.map { $0.reduce(0, +) })
            #expect(try array.max(axis: axis).scalars == lanes.map { $0.max()! })
            #expect(try array.argmax(axis: axis) == lanes.map { $0.firstIndex(of: $0.max()!)! })
            let lse = try array.logSumExp(axis: axis)
            for (value, lane) in zip(lse.scalars, lanes) {
                #expect(abs(value - Foundation.log(lane.map { Foundation.exp($0) }.reduce(0, +))) < 1e-12)
            }
            var keptShape = shape
            keptShape[axis] = 1
            #expect(try array.sum(axis: axis, keepingAxis: true).shape == keptShape)
        }
    }

    @Test("reductions of a transposed view read the view, not the storage order")
    func reducesViews() throws {
        let matrix = try NDArray<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(try matrix.transposed.sum(axis: 1).scalars == [5, 7, 9])
        #expect(try matrix.transposed.argmax(axis: 0) == [2, 2])
        #expect(matrix.transposed.sum() == 21)
    }

    @Test("logSumExp is stable for large and infinite values")
    func logSumExpIsStable() throws {
        let array = try NDArray<Double>(shape: [3, 2], scalars: [1000, 1000, -.infinity, -.infinity, -1000, 0])
        let result = try array.logSumExp(axis: 1).scalars
        #expect(abs(result[0] - (1000 + Foundation.log(2))) < 1e-9)
        #expect(result[1] == -.infinity)
        #expect(result[2] == 0)
    }

    @Test("bad axes and empty reductions are typed errors")
    func errors() throws {
        let array = try NDArray<Double>(repeating: 1, shape: [2, 0])
        #expect(throws: ShapeError.self) { try array.sum(axis: 2) }
        #expect(throws: ShapeError.self) { try array.max(axis: 1) }
        #expect(throws: ShapeError.self) { try array.argmax(axis: 1) }
        #expect(try array.sum(axis: 1).scalars == [0, 0])
    }
}
