/// A sparse matrix in compressed-row form: for each row, the columns that are non-zero
/// and their values. Document-term counts are almost all zeros, so products with them
/// are computed here instead of through a dense `NDArray`.
public struct SparseRowMatrix<Scalar: NDScalar>: Sendable, Equatable {
    /// Number of rows.
    public private(set) var rowCount: Int
    /// Number of columns.
    public let columnCount: Int
    /// Row `r`'s entries are at `rowStarts[r]..<rowStarts[r + 1]` of `columns` and `values`.
    public private(set) var rowStarts: [Int]
    /// Column of each stored entry.
    public private(set) var columns: [Int32]
    /// Value of each stored entry.
    public private(set) var values: [Scalar]

    /// An empty matrix with `columnCount` columns, grown with `appendRow`.
    public init(columnCount: Int) {
        precondition(columnCount >= 0 && columnCount <= Int(Int32.max), "column count out of range")
        self.rowCount = 0
        self.columnCount = columnCount
        self.rowStarts = [0]
        self.columns = []
        self.values = []
    }

    /// Appends a row from (column, value) pairs; throws when a column is outside the matrix.
    public mutating func appendRow(_ entries: some Collection<(column: Int, value: Scalar)>) throws {
        for entry in entries where entry.column < 0 || entry.column >= columnCount {
            throw ShapeError.index(axis: 1, index: entry.column, dimension: columnCount)
        }
        for entry in entries {
            columns.append(Int32(truncatingIfNeeded: entry.column))
            values.append(entry.value)
        }
        rowStarts.append(columns.count)
        rowCount += 1
    }

    /// The dense equivalent, for tests and small matrices.
    public func dense() -> NDArray<Scalar> {
        var scalars = [Scalar](repeating: 0, count: rowCount * columnCount)
        for row in 0..<rowCount {
            for entry in rowStarts[row]..<rowStarts[row + 1] {
                scalars[row * columnCount + Int(columns[entry])] += values[entry]
            }
        }
        return NDArray(unchecked: scalars, shape: [rowCount, columnCount],
                       strides: [columnCount, 1], offset: 0)
    }

    /// This (r × c) matrix times a dense (c × n) matrix → dense (r × n).
    @_specialize(exported: true, where Scalar == Double)
    public func matmul(_ dense: NDArray<Scalar>) throws -> NDArray<Scalar> {
        guard dense.rank == 2 else { throw ShapeError.rank(expected: 2, actual: dense.rank) }
        guard dense.shape[0] == columnCount else { throw ShapeError.matmul([rowCount, columnCount], dense.shape) }
        return multiply(dense, transposed: false)
    }

    /// The transpose of this (r × c) matrix times a dense (r × n) matrix → dense (c × n);
    /// with one-hot class rows on the right this sums the rows per class.
    @_specialize(exported: true, where Scalar == Double)
    public func transposedMatmul(_ dense: NDArray<Scalar>) throws -> NDArray<Scalar> {
        guard dense.rank == 2 else { throw ShapeError.rank(expected: 2, actual: dense.rank) }
        guard dense.shape[0] == rowCount else { throw ShapeError.matmul([columnCount, rowCount], dense.shape) }
        return multiply(dense, transposed: true)
    }

    /// One pass over the stored entries: entry (row, column, value) adds `value` times a
    /// row of `dense` to a row of the result — dense row `column` into result row `row`,
    /// or, transposed, dense row `row` into result row `column`.
    private func multiply(_ dense: NDArray<Scalar>, transposed: Bool) -> NDArray<Scalar> {
        let n = dense.shape[1]
        let outputRows = transposed ? columnCount : rowCount
        let right = dense.contiguous()
        let result = [Scalar](unsafeUninitializedCapacity: outputRows * n) { out, initialized in
            for i in 0..<(outputRows * n) { out[i] = 0 }
            right.storage.withUnsafeBufferPointer { b in
                columns.withUnsafeBufferPointer { cols in
                    values.withUnsafeBufferPointer { vals in
                        for row in 0..<rowCount {
                            for entry in rowStarts[row]..<rowStarts[row + 1] {
                                let column = Int(cols[entry])
                                let source = (transposed ? row : column) * n
                                let target = (transposed ? column : row) * n
                                let value = vals[entry]
                                for j in 0..<n { out[target + j] += value * b[source + j] }
                            }
                        }
                    }
                }
            }
            initialized = outputRows * n
        }
        return NDArray(unchecked: result, shape: [outputRows, n], strides: [n, 1], offset: 0)
    }
}
