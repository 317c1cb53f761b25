import PipelineModel
import Testing
@testable import NDArray

@Suite("Broadcasting element-wise arithmetic")
struct BroadcastingTests {
    /// Random operand shapes that broadcast: a common target, each operand drops some
    /// leading axes and replaces some dimensions by 1.
    static func compatibleShapes(using rng: inout SplitMix64) -> ([Int], [Int]) {
        let rank = Int.random(in: 0...4, using: &rng)
        let target = (0..<rank).map { _ in Int.random(in: 1...4, using: &rng) }
        func operand(_ rng: inout SplitMix64) -> [Int] {
            let drop = Int.random(in: 0...rank, using: &rng)
            return target.dropFirst(drop).map { Bool.random(using: &rng) ? 1 : $0 }
        }
        return (operand(&rng), operand(&rng))
    }

    @Test("matches a naive loop for random shapes and all four operators")
    func matchesNaiveLoops() throws {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<300 {
            let (lhsShape, rhsShape) = Self.compatibleShapes(using: &rng)
            let lhsData = Naive.randomScalars(lhsShape.reduce(1, *), using: &rng)
            let rhsData = Naive.randomScalars(rhsShape.reduce(1, *), using: &rng).map { $0 == 0 ? 1 : $0 }
            let lhs = try NDArray(shape: lhsShape, scalars: lhsData)
            let rhs = try NDArray(shape: rhsShape, scalars: rhsData)
            let rank = max(lhsShape.count, rhsShape.count)
            var outShape: [Int] = []
            for axis in 0..<rank {
                let l = axis < rank - lhsShape.count ? 1 : lhsShape[axis - (rank - lhsShape.count)]
                let r = axis < rank - rhsShape.count ? 1 : rhsShape[axis - (rank - rhsShape.count)]
                outShape.append(max(l, r))
            }
            let operations: [(NDArray<Double>, NDArray<Double>) -> NDArray<Double>] = [(+), (-), (*), (/)]
            let naive: [(Double, Double) -> Double] = [(+), (-), (*), (/)]
            for (operation, reference) in zip(operations, naive) {
                let result = operation(lhs, rhs)
                #expect(result.shape == outShape)
                let expected = (0..<outShape.reduce(1, *)).map { flat -> Double in
                    let index = Naive.unravel(flat, outShape)
                    func pick(_ shape: [Int], _ data: [Double]) -> Double {
                        let own = index.suffix(shape.count).enumerated().map { shape[$0.offset] == 1 ? 0 : $0.element }
                        return data[Naive.ravel(Array(own), shape)]
                    }
                    return reference(pick(lhsShape, lhsData), pick(rhsShape, rhsData))
                }
                #expect(result.scalars == expected, "\(lhsShape) with \(rhsShape)")
            }
        }
    }

    @Test("works on non-contiguous views (transposed and stepped slices)")
    func worksOnViews() throws {
        var rng = SplitMix64(seed: 2)
        for _ in 0..<100 {
            let rows = Int.random(in: 1...6, using: &rng), columns = Int.random(in: 1...6, using: &rng)
            let data = Naive.randomScalars(rows * columns, using: &rng)
            let matrix = try NDArray(shape: [rows, columns], scalars: data)
            let transposed = matrix.transposed
            let stepped = try transposed.sliced(axis: 1, 0..<rows, step: 2)
            #expect(stepped.shape == [columns, (rows + 1) / 2])
            let column = try NDArray(shape: [columns, 1], scalars: Naive.randomScalars(columns, using: &rng))
            let sum = stepped + column
            for i in 0..<columns {
                for j in 0..<stepped.shape[1] {
                    #expect(sum[i, j] == data[(2 * j) * columns + i] + column[i, 0])
                }
            }
        }
    }

    @Test("scalar operators, negation, exp and log")
    func scalarOperations() throws {
        let array = try NDArray<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
        #expect((array + 1).scalars == [2, 3, 4, 5])
        #expect((10 - array).scalars == [9, 8, 7, 6])
        #expect((array * 2).scalars == [2, 4, 6, 8])
        #expect((12 / array).scalars == [12, 6, 4, 3])
        #expect((-array).scalars == [-1, -2, -3, -4])
        let roundTrip = array.log().exp()
        for (value, expected) in zip(roundTrip.scalars, array.scalars) {
            #expect(abs(value - expected) < 1e-5)
        }
    }

    @Test("incompatible shapes are a typed error")
    func incompatibleShapes() throws {
        let a = try NDArray<Double>(repeating: 1, shape: [2, 3])
        let b = try NDArray<Double>(repeating: 1, shape: [4, 3])
        #expect(throws: ShapeError.self) { try a.combined(with: b, +) }
        #expect(throws: ShapeError.self) { try NDArray<Double>.broadcastShape([3], [4]) }
        #expect(try NDArray<Double>.broadcastShape([2, 1, 3], [4, 1]) == [2, 4, 3])
        #expect(try a.broadcast(to: [5, 2, 3]).shape == [5, 2, 3])
        #expect(throws: ShapeError.self) { try a.broadcast(to: [3]) }
    }
}
