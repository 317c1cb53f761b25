/// Limited-memory BFGS for smooth, unconstrained minimisation over a flat parameter
/// vector: the two-loop recursion over the last `memory` steps, with a backtracking
/// (Armijo) line search.
///
/// Deterministic: the same objective and start give the same iterates on every machine.
/// Written for convex objectives such as L2-regularised logistic regression, where the
/// minimum is unique and a tight gradient tolerance reaches it.
public struct LBFGSMinimizer: Sendable {
    /// Number of past steps kept for the curvature estimate.
    public var memory = 10
    /// Stop when the largest gradient component falls below this.
    public var gradientTolerance = 1e-8
    /// Stop after this many iterations (each costs at least one objective evaluation).
    public var maximumIterations = 2_000
    /// A diagonal preconditioner (one positive value per parameter, e.g. the inverse of an
    /// estimate of the Hessian's diagonal): the initial inverse-Hessian estimate becomes
    /// γ·diag(preconditioner) instead of γ·I. On badly scaled problems, such as rare sparse
    /// features under a weak L2 penalty, this saves many iterations; `nil` is plain L-BFGS.
    public var preconditioner: [Double]?

    /// A minimiser with the default settings.
    public init() {}

    /// Why a run ended, with its final point.
    public struct Outcome: Sendable {
        /// The last accepted point.
        public var parameters: [Double]
        /// The objective there.
        public var value: Double
        /// Iterations run.
        public var iterations: Int
        /// Objective evaluations, line-search trials included (the cost of a run).
        public var evaluations: Int
        /// Whether the gradient tolerance was met (not the iteration cap or a stalled search).
        public var converged: Bool
    }

    /// Minimises `objective` from `start`; `objective(x, &gradient)` returns f(x) and writes
    /// ∇f(x) into `gradient` (same count as `x`).
    public func minimize(start: [Double], objective: (_ x: [Double], _ gradient: inout [Double]) -> Double)
        -> Outcome {
        let n = start.count
        var x = start
        var gradient = [Double](repeating: 0, count: n)
        var value = objective(x, &gradient)
        var evaluations = 1
        // The last `memory` steps s = x⁺ − x and gradient changes y = ∇⁺ − ∇, in one flat ring
        // each (slot k at k·n), so the recursion walks contiguous memory without per-step arrays.
        precondition(preconditioner.map { $0.count == n && $0.allSatisfy { $0 > 0 && $0.isFinite } } ?? true,
                     "one positive, finite preconditioner value per parameter")
        var history = CurvatureHistory(dimension: n, capacity: Swift.max(1, memory), preconditioner: preconditioner)
        var direction = [Double](repeating: 0, count: n)
        var alphas = [Double](repeating: 0, count: Swift.max(1, memory))
        var candidate = [Double](repeating: 0, count: n)
        var candidateGradient = [Double](repeating: 0, count: n)
        func outcome(_ iterations: Int, _ converged: Bool) -> Outcome {
            Outcome(parameters: x, value: value, iterations: iterations, evaluations: evaluations, converged: converged)
        }
        for iteration in 0..<maximumIterations {
            if Vector.largestMagnitude(gradient) < gradientTolerance { return outcome(iteration, true) }
            history.direction(gradient: gradient, into: &direction, alphas: &alphas)
            var slope = Vector.dot(gradient, direction)
            if slope >= 0 {
                // Not a descent direction (lost curvature): restart from steepest descent.
                history.removeAll()
                history.direction(gradient: gradient, into: &direction, alphas: &alphas)
                slope = Vector.dot(gradient, direction)
            }
            var step = 1.0
            var accepted = false
            for _ in 0..<50 {
                Vector.combine(&candidate, x, direction, step)
                let candidateValue = objective(candidate, &candidateGradient)
                evaluations += 1
                if candidateValue <= value + 1e-4 * step * slope {
                    history.record(from: x, to: candidate, gradient: gradient, newGradient: candidateGradient)
                    swap(&x, &candidate)
                    swap(&gradient, &candidateGradient)
                    let previous = value
                    value = candidateValue
                    accepted = true
                    // Progress below rounding: the minimum is reached as closely as doubles allow.
                    if previous - value <= 1e-16 * Swift.max(abs(previous), 1) && step == 1
                        && Vector.largestMagnitude(gradient) < gradientTolerance * 100 {
                        return outcome(iteration + 1, true)
                    }
                    break
                }
                step *= 0.5
            }
            if !accepted {
                return outcome(iteration, Vector.largestMagnitude(gradient) < gradientTolerance * 100)
            }
        }
        return outcome(maximumIterations, Vector.largestMagnitude(gradient) < gradientTolerance)
    }
}

/// The remembered (s, y) pairs of L-BFGS, oldest first, in two flat rings with one slot
/// more than `capacity`: a new pair is written into the free slot before its curvature is
/// known, so a rejected pair never overwrites the oldest kept one.
private struct CurvatureHistory {
    let dimension: Int
    let capacity: Int
    private let slots: Int
    private var steps: [Double]
    private var changes: [Double]
    private var rhos: [Double]
    /// s·y / y·y of the newest pair: the initial inverse-Hessian scale.
    private var newestScale = 1.0
    /// Slot of the oldest pair.
    private var first = 0
    private(set) var count = 0

    /// Diagonal of the initial inverse-Hessian estimate, up to the scale γ.
    private let preconditioner: [Double]?

    init(dimension: Int, capacity: Int, preconditioner: [Double]?) {
        self.preconditioner = preconditioner
        self.dimension = dimension
        self.capacity = capacity
        slots = capacity + 1
        steps = [Double](repeating: 0, count: dimension * slots)
        changes = steps
        rhos = [Double](repeating: 0, count: slots)
    }

    mutating func removeAll() {
        first = 0
        count = 0
    }

    /// Keeps the pair from `x`→`next` when its curvature s·y is positive (drops the oldest when full).
    mutating func record(from x: [Double], to next: [Double], gradient: [Double], newGradient: [Double]) {
        let slot = (first + count) % slots
        let n = dimension
        var curvature = 0.0, changeNorm = 0.0
        steps.withUnsafeMutableBufferPointer { s in
            changes.withUnsafeMutableBufferPointer { y in
                x.withUnsafeBufferPointer { x in
                    next.withUnsafeBufferPointer { next in
                        gradient.withUnsafeBufferPointer { g in
                            newGradient.withUnsafeBufferPointer { h in
                                let base = slot * n
                                for i in 0..<n {
                                    let step = next[i] - x[i], change = h[i] - g[i]
                                    s[base + i] = step
                                    y[base + i] = change
                                }
                                curvature = Vector.dot(UnsafeBufferPointer(rebasing: s[base..<(base + n)]),
                                                       UnsafeBufferPointer(rebasing: y[base..<(base + n)]))
                                changeNorm = Vector.weightedSquares(UnsafeBufferPointer(rebasing: y[base..<(base + n)]),
                                                                    preconditioner)
                            }
                        }
                    }
                }
            }
        }
        guard curvature > 1e-12 * changeNorm && curvature > 0 else { return }
        rhos[slot] = 1 / curvature
        newestScale = curvature / changeNorm
        if count == capacity { first = (first + 1) % slots } else { count += 1 }
    }

    /// The two-loop recursion: `direction` = −H·gradient, H the inverse-Hessian estimate; with
    /// no pairs yet, a unit-length move along the steepest descent.
    func direction(gradient: [Double], into direction: inout [Double], alphas: inout [Double]) {
        let n = dimension
        for i in 0..<n { direction[i] = -gradient[i] }
        guard count > 0 else {
            if let preconditioner { for i in 0..<n { direction[i] *= preconditioner[i] } }
            let norm = Vector.dot(direction, direction).squareRoot()
            for i in 0..<n { direction[i] /= Swift.max(norm, 1) }
            return
        }
        // Each pass both updates the direction and takes the dot product the next update needs,
        // so the recursion reads the direction 2·count + 1 times instead of 4·count: over
        // vectors larger than the cache, memory traffic is what these loops cost.
        steps.withUnsafeBufferPointer { s in
            changes.withUnsafeBufferPointer { y in
                direction.withUnsafeMutableBufferPointer { d in
                    func row(_ p: UnsafeBufferPointer<Double>, _ k: Int) -> UnsafePointer<Double> {
                        p.baseAddress! + ((first + k) % slots) * n
                    }
                    func rho(_ k: Int) -> Double { rhos[(first + k) % slots] }
                    let last = count - 1
                    let gamma = newestScale
                    var product = Vector.dot(UnsafeBufferPointer(start: row(s, last), count: n), UnsafeBufferPointer(d))
                    // First loop, newest to oldest: d −= αₖ yₖ with αₖ = ρₖ sₖ·d; the last pass
                    // also takes y₀·d for the second loop's first β.
                    for k in stride(from: last, through: 0, by: -1) {
                        alphas[k] = rho(k) * product
                        product = Vector.addScaledThenDot(d, row(y, k), -alphas[k], k > 0 ? row(s, k - 1) : row(y, 0))
                    }
                    // Scale by γ (and the preconditioner), then second loop, oldest to newest:
                    // d += (αₖ − βₖ) sₖ with βₖ = ρₖ yₖ·d; a scalar γ folds into the first pass.
                    var scale = gamma
                    if let preconditioner {
                        product = preconditioner.withUnsafeBufferPointer { p in
                            var sum = 0.0
                            let y0 = row(y, 0)
                            for i in 0..<n {
                                d[i] *= gamma * p[i]
                                sum += y0[i] * d[i]
                            }
                            return sum
                        }
                        scale = 1
                    } else {
                        product *= gamma
                    }
                    for k in 0...last {
                        let beta = rho(k) * product
                        product = Vector.scaleAddScaledThenDot(d, scale, row(s, k), alphas[k] - beta,
                                                               k < last ? row(y, k + 1) : row(y, k))
                        scale = 1
                    }
                }
            }
        }
    }
}

/// Dense vector kernels over contiguous doubles. Four partial sums let the compiler keep
/// several lanes busy (a single running sum is one long dependency chain).
private enum Vector {
    @inline(__always) static func dot(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) -> Double {
        let n = a.count
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= n {
            s0 += a[i] * b[i]
            s1 += a[i + 1] * b[i + 1]
            s2 += a[i + 2] * b[i + 2]
            s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        while i < n {
            s0 += a[i] * b[i]
            i += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// Σ wᵢ aᵢ² (Σ aᵢ² without weights).
    static func weightedSquares(_ a: UnsafeBufferPointer<Double>, _ weights: [Double]?) -> Double {
        guard let weights else { return dot(a, a) }
        return weights.withUnsafeBufferPointer { w in
            var sum = 0.0
            for i in 0..<a.count { sum += w[i] * a[i] * a[i] }
            return sum
        }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in dot(a, b) } }
    }

    /// d += factor · source, returning next·d (of the updated d), in one pass.
    @inline(__always) static func addScaledThenDot(_ d: UnsafeMutableBufferPointer<Double>,
                                                   _ source: UnsafePointer<Double>, _ factor: Double,
                                                   _ next: UnsafePointer<Double>) -> Double {
        scaleAddScaledThenDot(d, 1, source, factor, next)
    }

    /// d = scale · d + factor · source, returning next·d (of the updated d), in one pass.
    @inline(__always) static func scaleAddScaledThenDot(_ d: UnsafeMutableBufferPointer<Double>, _ scale: Double,
                                                        _ source: UnsafePointer<Double>, _ factor: Double,
                                                        _ next: UnsafePointer<Double>) -> Double {
        let n = d.count
        var s0 = 0.0, s1 = 0.0
        var i = 0
        while i + 2 <= n {
            let a = scale * d[i] + factor * source[i], b = scale * d[i + 1] + factor * source[i + 1]
            d[i] = a
            d[i + 1] = b
            s0 += next[i] * a
            s1 += next[i + 1] * b
            i += 2
        }
        while i < n {
            let a = scale * d[i] + factor * source[i]
            d[i] = a
            s0 += next[i] * a
            i += 1
        }
        return s0 + s1
    }

    /// target = base + factor · direction.
    static func combine(_ target: inout [Double], _ base: [Double], _ direction: [Double], _ factor: Double) {
        target.withUnsafeMutableBufferPointer { t in
            base.withUnsafeBufferPointer { b in
                direction.withUnsafeBufferPointer { d in
                    for i in 0..<t.count { t[i] = b[i] + factor * d[i] }
                }
            }
        }
    }

    static func largestMagnitude(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { v in
            var largest = 0.0
            for value in v { largest = Swift.max(largest, abs(value)) }
            return largest
        }
    }
}
