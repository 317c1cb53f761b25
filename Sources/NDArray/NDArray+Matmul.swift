extension NDArray {
    /// The matrix product of two rank-2 arrays, (m × k) · (k × n) → (m × n).
    ///
    /// Both operands are made contiguous, then multiplied in i-k-j order over blocks of
    /// `k` so the inner loop streams one row of each operand and the block of the right
    /// operand stays in cache.
    // Pre-specialised for both scalars: called from another module, the generic body runs
    // each multiply-add through protocol witnesses (≈ 10× slower, most of a hybrid's training).
    @_specialize(exported: true, where Scalar == Double)
    @_specialize(exported: true, where Scalar == Float)
    public func matmul(_ other: NDArray) throws -> NDArray {
        guard rank == 2 else { throw ShapeError.rank(expected: 2, actual: rank) }
        guard other.rank == 2 else { throw ShapeError.rank(expected: 2, actual: other.rank) }
        guard shape[1] == other.shape[0] else { throw ShapeError.matmul(shape, other.shape) }
        let m = shape[0], k = shape[1], n = other.shape[1]
        let left = contiguous(), right = other.contiguous()
        let blockK = 128
        let result = [Scalar](unsafeUninitializedCapacity: m * n) { out, initialized in
            for i in 0..<(m * n) { out[i] = 0 }
            left.storage.withUnsafeBufferPointer { a in
                right.storage.withUnsafeBufferPointer { b in
                    var p0 = 0
                    while p0 < k {
                        let p1 = Swift.min(p0 + blockK, k)
                        for i in 0..<m {
                            let rowC = i * n
                            let rowA = i * k
                            for p in p0..<p1 {
                                let aip = a[rowA + p]
                                let rowB = p * n
                                for j in 0..<n { out[rowC + j] += aip * b[rowB + j] }
                            }
                        }
                        p0 = p1
                    }
                }
            }
            initialized = m * n
        }
        return NDArray(unchecked: result, shape: [m, n], strides: [n, 1], offset: 0)
    }
}
