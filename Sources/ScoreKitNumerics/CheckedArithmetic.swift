/// Size arithmetic on untrusted numbers (file headers, configurations): every product and sum is
/// overflow-checked, because a claim of 2⁴⁰ × 2⁴⁰ elements must become an error, not a wrapped
/// small number. nil stands for "overflowed" and propagates, so a size built from several steps
/// needs one check at the end.
public enum CheckedArithmetic {
    /// a · b, or nil when either is nil or the product overflows `Int`.
    public static func product(_ a: Int?, _ b: Int?) -> Int? {
        guard let a, let b else { return nil }
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : p
    }

    /// a + b, or nil when either is nil or the sum overflows `Int`.
    public static func sum(_ a: Int?, _ b: Int?) -> Int? {
        guard let a, let b else { return nil }
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : s
    }

    /// The sum of `terms`, or nil when any is nil or a partial sum overflows `Int`.
    public static func sum(_ terms: [Int?]) -> Int? {
        terms.reduce(0 as Int?) { sum($0, $1) }
    }
}
