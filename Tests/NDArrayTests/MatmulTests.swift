import PipelineModel
import Testing
@testable import NDArray

@Suite("Matrix products")
struct MatmulTests {
    static func naive(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0
                for p in 0..<k { total += a[i * k + p] * b[p * n + j] }
                c[i * n + j] = total
            }
        }
        return c
    }

    @Test("dense matmul matches the triple loop on random shapes, including views")
    func denseMatchesNaive() throws {
        var rng = SplitMix64(seed: 4)
        for round in 0..<60 {
            // Some rounds exceed the 128-wide block along k.
            let m = Int.random(in: 1...9, using: &rng)
            let k = round % 5 == 0 ? Int.random(in: 129...300, using: &rng) : Int.random(in: 1...9, using: &rng)
            let n = Int.random(in: 1...9, using: &rng)
            let a = Naive.randomScalars(m * k, using: &rng)
            let b = Naive.randomScalars(k * n, using: &rng)
            let expected = Self.naive(a, b, m: m, k: k, n: n)
            let product = try NDArray(shape: [m, k], scalars: a).matmul(NDArray(shape: [k, n], scalars: b))
            #expect(product.shape == [m, n])
            for (value, reference) in zip(product.scalars, expected) { #expect(abs(value - reference) < 1e-9) }
            // The same product from transposed storage (non-contiguous operands).
            let aT = try NDArray(shape: [k, m], scalars: (0..<(k * m)).map { a[($0 % m) * k + $0 / m] }).transposed
            let bT = try NDArray(shape: [n, k], scalars: (0..<(n * k)).map { b[($0 % k) * n + $0 / k] }).transposed
            for (value, reference) in zip(try aT.matmul(bT).scalars, expected) { #expect(abs(value - reference) < 1e-9) }
        }
    }

    @Test("sparse products match dense ones")
    func sparseMatchesDense() throws {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<60 {
            let rows = Int.random(in: 0...8, using: &rng), columns = Int.random(in: 1...12, using: &rng)
            let n = Int.random(in: 1...4, using: &rng)
            var sparse = SparseRowMatrix<Double>(columnCount: columns)
            for _ in 0..<rows {
                let entries = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    (column: Int.random(in: 0..<columns, using: &rng), value: Double(Int.random(in: 1...3, using: &rng)))
                }
                try sparse.appendRow(entries)
            }
            let dense = sparse.dense()
            let right = try NDArray(shape: [columns, n], scalars: Naive.randomScalars(columns * n, using: &rng))
            let expected = try dense.matmul(right).scalars
            for (value, reference) in zip(try sparse.matmul(right).scalars, expected) { #expect(abs(value - reference) < 1e-9) }
            let perRow = try NDArray(shape: [rows, n], scalars: Naive.randomScalars(rows * n, using: &rng))
            let expectedT = try dense.transposed.matmul(perRow).scalars
            for (value, reference) in zip(try sparse.transposedMatmul(perRow).scalars, expectedT) {
                #expect(abs(value - reference) < 1e-9)
            }
        }
    }

    @Test("mismatched inner dimensions and ranks are typed errors")
    func errors() throws {
        let a = try NDArray<Float>(repeating: 1, shape: [2, 3])
        #expect(throws: ShapeError.self) { try a.matmul(a) }
        #expect(throws: ShapeError.self) { try a.matmul(NDArray<Float>([1, 2, 3])) }
        var sparse = SparseRowMatrix<Float>(columnCount: 2)
        #expect(throws: ShapeError.self) { try sparse.appendRow([(column: 2, value: 1)]) }
        #expect(sparse.rowCount == 0)
        #expect(throws: ShapeError.self) { try sparse.matmul(NDArray<Float>(repeating: 1, shape: [3, 3])) }
    }
}
