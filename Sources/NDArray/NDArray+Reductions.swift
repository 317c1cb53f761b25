extension NDArray {
    /// Sum along `axis`; the axis is removed unless `keepingAxis` (then it has length 1,
    /// ready to broadcast back against this array).
    public func sum(axis: Int, keepingAxis: Bool = false) throws -> NDArray {
        try reduce(axis: axis, keepingAxis: keepingAxis, allowEmpty: true) { a, out, outer, length, inner in
            for o in 0..<outer {
                let base = o * length * inner
                let target = o * inner
                for i in 0..<inner { out[target + i] = 0 }
                for k in 0..<length {
                    let row = base + k * inner
                    for i in 0..<inner { out[target + i] += a[row + i] }
                }
            }
        }
    }

    /// Maximum along `axis`; throws when that axis is empty.
    public func max(axis: Int, keepingAxis: Bool = false) throws -> NDArray {
        try reduce(axis: axis, keepingAxis: keepingAxis, allowEmpty: false) { a, out, outer, length, inner in
            Self.maxRows(a, out, outer, length, inner)
        }
    }

    /// log(Σ exp(x)) along `axis`, computed stably by factoring out the maximum.
    public func logSumExp(axis: Int, keepingAxis: Bool = false) throws -> NDArray {
        try reduce(axis: axis, keepingAxis: keepingAxis, allowEmpty: false) { a, out, outer, length, inner in
            Self.maxRows(a, out, outer, length, inner)
            var sums = [Scalar](repeating: 0, count: inner)
            for o in 0..<outer {
                let base = o * length * inner
                let target = o * inner
                for i in 0..<inner { sums[i] = 0 }
                for k in 0..<length {
                    let row = base + k * inner
                    for i in 0..<inner where out[target + i].isFinite {
                        sums[i] += Scalar.exponential(a[row + i] - out[target + i])
                    }
                }
                // An all −∞ (or +∞) slice keeps its maximum: log Σ exp is exactly that.
                for i in 0..<inner where out[target + i].isFinite {
                    out[target + i] += Scalar.logarithm(sums[i])
                }
            }
        }
    }

    /// Index of the first maximum along `axis`, in row-major order of the remaining axes.
    public func argmax(axis: Int) throws -> [Int] {
        try checkAxis(axis)
        guard shape[axis] > 0 else { throw ShapeError.emptyReduction(axis: axis, shape: shape) }
        let source = contiguous()
        let length = shape[axis]
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var best = [Scalar](repeating: 0, count: outer * inner)
        var indices = [Int](repeating: 0, count: outer * inner)
        source.storage.withUnsafeBufferPointer { a in
            for o in 0..<outer {
                let base = o * length * inner
                let target = o * inner
                for i in 0..<inner { best[target + i] = a[base + i] }
                for k in 1..<Swift.max(length, 1) {
                    let row = base + k * inner
                    for i in 0..<inner where a[row + i] > best[target + i] {
                        best[target + i] = a[row + i]
                        indices[target + i] = k
                    }
                }
            }
        }
        return indices
    }

    /// Sum of all scalars.
    public func sum() -> Scalar {
        let source = contiguous()
        return source.storage.withUnsafeBufferPointer { $0.reduce(0, +) }
    }

    /// Writes the maximum of each (outer, inner) column into `out`.
    private static func maxRows(_ a: UnsafeBufferPointer<Scalar>, _ out: UnsafeMutableBufferPointer<Scalar>,
                                _ outer: Int, _ length: Int, _ inner: Int) {
        for o in 0..<outer {
            let base = o * length * inner
            let target = o * inner
            for i in 0..<inner { out[target + i] = a[base + i] }
            for k in 1..<Swift.max(length, 1) {
                let row = base + k * inner
                for i in 0..<inner where a[row + i] > out[target + i] { out[target + i] = a[row + i] }
            }
        }
    }

    /// Runs `kernel` over the contiguous scalars viewed as (outer, length, inner), where
    /// `length` is the reduced axis; the inner loop stays on consecutive memory.
    private func reduce(
        axis: Int, keepingAxis: Bool, allowEmpty: Bool,
        _ kernel: (UnsafeBufferPointer<Scalar>, UnsafeMutableBufferPointer<Scalar>, Int, Int, Int) -> Void
    ) throws -> NDArray {
        try checkAxis(axis)
        guard allowEmpty || shape[axis] > 0 else { throw ShapeError.emptyReduction(axis: axis, shape: shape) }
        let source = contiguous()
        let length = shape[axis]
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let total = outer * inner
        let result = [Scalar](unsafeUninitializedCapacity: total) { out, initialized in
            for i in 0..<total { out[i] = 0 }
            source.storage.withUnsafeBufferPointer { a in kernel(a, out, outer, length, inner) }
            initialized = total
        }
        var newShape = shape
        if keepingAxis { newShape[axis] = 1 } else { newShape.remove(at: axis) }
        return NDArray(unchecked: result, shape: newShape, strides: Self.rowMajorStrides(newShape), offset: 0)
    }
}
