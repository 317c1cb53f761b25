import Testing
@testable import NDArray

@Suite("Views, reshape and copy-on-write")
struct ViewTests {
    @Test("slices and transposes share storage until written, then copy")
    func copyOnWrite() throws {
        let original = try NDArray<Double>(shape: [3, 4], scalars: (0..<12).map(Double.init))
        var row = try original.selecting(axis: 0, index: 1)
        #expect(row.scalars == [4, 5, 6, 7])
        #expect(!row.isOwned)
        row[2] = 100
        #expect(row.scalars == [4, 5, 100, 7])
        #expect(original[1, 2] == 6)
        var copy = original
        copy[0, 0] = -1
        #expect(original[0, 0] == 0)
        #expect(original.isOwned)
    }

    @Test("reshape is a view of contiguous data, infers −1, and copies transposed data")
    func reshape() throws {
        let original = try NDArray<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(try original.reshaped([3, -1]).shape == [3, 2])
        #expect(try original.reshaped([6]).scalars == [1, 2, 3, 4, 5, 6])
        #expect(try original.transposed.reshaped([6]).scalars == [1, 4, 2, 5, 3, 6])
        #expect(try original.permuted([1, 0]) == original.transposed)
        #expect(throws: ShapeError.self) { try original.reshaped([4, 2]) }
        #expect(throws: ShapeError.self) { try original.reshaped([-1, -1]) }
        #expect(throws: ShapeError.self) { try original.permuted([0, 0]) }
    }

    @Test("slicing checks ranges and axes")
    func slicing() throws {
        let original = try NDArray<Float>(shape: [2, 5], scalars: (0..<10).map(Float.init))
        #expect(try original.sliced(axis: 1, 1..<5, step: 2).scalars == [1, 3, 6, 8])
        #expect(try original.sliced(axis: 1, 2..<2).count == 0)
        #expect(throws: ShapeError.self) { try original.sliced(axis: 1, 0..<6) }
        #expect(throws: ShapeError.self) { try original.sliced(axis: 2, 0..<1) }
        #expect(throws: ShapeError.self) { try original.selecting(axis: 0, index: 2) }
    }

    @Test("constructors check scalar counts and dimensions")
    func constructors() throws {
        #expect(throws: ShapeError.self) { try NDArray<Double>(shape: [2, 2], scalars: [1, 2, 3]) }
        #expect(throws: ShapeError.self) { try NDArray<Double>(repeating: 0, shape: [-1]) }
        #expect(throws: ShapeError.self) { try NDArray<Double>(rows: [[1, 2], [3]]) }
        #expect(try NDArray<Double>(rows: [[1, 2], [3, 4]]).shape == [2, 2])
        #expect(NDArray<Double>(scalar: 3).scalar == 3)
    }
}
