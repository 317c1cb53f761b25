import NDArray

/// The objective `MultinomialLogisticRegression.fit` minimises, with its gradient, over
/// sparse rows: (1/n) Σᵢ sᵢ · −log P(yᵢ | xᵢ) + (l2 / 2) ‖W‖² for three classes.
///
/// Parameters are laid out as W (features × 3, row-major: a feature's three class weights
/// side by side, so a stored entry touches one cache line) followed by the three intercepts.
/// One pass over the rows computes a row's logits, its softmax residuals, and scatters them
/// back into the gradient while the row's entries are still in cache.
struct SoftmaxLoss {
    let rows: SparseRowMatrix<Double>
    /// Class index of each row.
    let targets: [Int32]
    /// sᵢ of each row.
    let sampleWeights: [Double]
    let l2: Double

    /// Number of parameters: 3 per feature and 3 intercepts.
    var parameterCount: Int { rows.columnCount * 3 + 3 }

    /// The inverse of the objective's Hessian diagonal at zero weights (every class
    /// probability 1/3, so each p(1 − p) is 2/9): (2/9)·(1/n)Σᵢ sᵢ xᵢⱼ² + l2 for a feature's
    /// weights, (2/9)·mean sᵢ for the intercepts. Rare features have tiny curvature under a
    /// weak L2; scaling by this evens the problem out for L-BFGS.
    func diagonalPreconditioner() -> [Double] {
        let features = rows.columnCount, n = rows.rowCount
        var squares = [Double](repeating: 0, count: features)
        var weightTotal = 0.0
        for row in 0..<n {
            let weight = sampleWeights[row]
            weightTotal += weight
            for entry in rows.rowStarts[row]..<rows.rowStarts[row + 1] {
                squares[Int(rows.columns[entry])] += weight * rows.values[entry] * rows.values[entry]
            }
        }
        let curvature = 2.0 / 9.0, scale = 1 / Double(n)
        var result = [Double](repeating: 0, count: parameterCount)
        for feature in 0..<features {
            let inverse = 1 / (curvature * squares[feature] * scale + l2)
            for c in 0..<3 { result[feature * 3 + c] = inverse }
        }
        for c in 0..<3 { result[features * 3 + c] = 1 / (curvature * weightTotal * scale) }
        return result
    }

    /// f(theta); writes ∇f(theta) into `gradient`.
    func evaluate(_ theta: [Double], gradient: inout [Double]) -> Double {
        precondition(theta.count == parameterCount && gradient.count == parameterCount, "one gradient per parameter")
        let n = rows.rowCount, biasOffset = rows.columnCount * 3
        var loss = 0.0
        theta.withUnsafeBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                rows.rowStarts.withUnsafeBufferPointer { starts in
                    rows.columns.withUnsafeBufferPointer { columns in
                        rows.values.withUnsafeBufferPointer { values in
                            targets.withUnsafeBufferPointer { targets in
                                sampleWeights.withUnsafeBufferPointer { weights in
                                    _ = g.initialize(repeating: 0)
                                    let b0 = w[biasOffset], b1 = w[biasOffset + 1], b2 = w[biasOffset + 2]
                                    var r0 = 0.0, r1 = 0.0, r2 = 0.0
                                    for row in 0..<n {
                                        let start = starts[row], end = starts[row + 1]
                                        var z0 = b0, z1 = b1, z2 = b2
                                        for entry in start..<end {
                                            let base = Int(columns[entry]) &* 3, value = values[entry]
                                            z0 += value * w[base]
                                            z1 += value * w[base + 1]
                                            z2 += value * w[base + 2]
                                        }
                                        let top = Swift.max(z0, z1, z2)
                                        let e0 = Double.exponential(z0 - top), e1 = Double.exponential(z1 - top)
                                        let e2 = Double.exponential(z2 - top)
                                        let total = e0 + e1 + e2
                                        let weight = weights[row], target = Int(targets[row])
                                        let zTarget = target == 0 ? z0 : (target == 1 ? z1 : z2)
                                        loss += weight * (top + Double.logarithm(total) - zTarget)
                                        let scale = weight / total
                                        let d0 = scale * e0 - (target == 0 ? weight : 0)
                                        let d1 = scale * e1 - (target == 1 ? weight : 0)
                                        let d2 = scale * e2 - (target == 2 ? weight : 0)
                                        r0 += d0
                                        r1 += d1
                                        r2 += d2
                                        for entry in start..<end {
                                            let base = Int(columns[entry]) &* 3, value = values[entry]
                                            g[base] += value * d0
                                            g[base + 1] += value * d1
                                            g[base + 2] += value * d2
                                        }
                                    }
                                    let scale = 1 / Double(n)
                                    var p0 = 0.0, p1 = 0.0
                                    var i = 0
                                    while i + 1 < biasOffset {
                                        let a = w[i], c = w[i + 1]
                                        g[i] = g[i] * scale + l2 * a
                                        g[i + 1] = g[i + 1] * scale + l2 * c
                                        p0 += a * a
                                        p1 += c * c
                                        i += 2
                                    }
                                    while i < biasOffset {
                                        g[i] = g[i] * scale + l2 * w[i]
                                        p0 += w[i] * w[i]
                                        i += 1
                                    }
                                    g[biasOffset] = r0 * scale
                                    g[biasOffset + 1] = r1 * scale
                                    g[biasOffset + 2] = r2 * scale
                                    loss = loss * scale + 0.5 * l2 * (p0 + p1)
                                }
                            }
                        }
                    }
                }
            }
        }
        return loss
    }
}
