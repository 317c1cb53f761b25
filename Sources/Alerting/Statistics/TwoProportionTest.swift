import Foundation

/// The two-proportion z-test, and the normal quantile that turns a significance into the
/// critical z: is a label's share in a recent window different from its baseline share?
public enum TwoProportionTest {
    /// z of `successes1` of `n1` against `successes0` of `n0` under the pooled proportion;
    /// 0 when either sample is empty or the pooled share is 0 or 1 (nothing to compare).
    public static func z(successes1: Int, n1: Int, successes0: Int, n0: Int) -> Double {
        guard n1 > 0, n0 > 0 else { return 0 }
        let p1 = Double(successes1) / Double(n1)
        let p0 = Double(successes0) / Double(n0)
        let pooled = Double(successes1 + successes0) / Double(n1 + n0)
        let variance = pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n0))
        guard variance > 0 else { return 0 }
        return (p1 - p0) / variance.squareRoot()
    }

    /// The z a two-sided test at `significance` must reach in absolute value.
    public static func criticalZ(significance: Double) -> Double {
        normalQuantile(1 - significance / 2)
    }

    /// The standard normal quantile (inverse CDF) for 0 < p < 1, by Acklam's rational
    /// approximation (relative error below 1.2e-9: far finer than any threshold needs).
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let tail = 0.02425
        func lower(_ p: Double) -> Double {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p < tail { return lower(p) }
        if p > 1 - tail { return -lower(1 - p) }
        let q = p - 0.5
        let r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
