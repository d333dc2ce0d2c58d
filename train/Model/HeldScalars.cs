using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>
/// Tensor arithmetic with numbers, holding each scalar until libtorch has read it. TorchSharp frees a
/// Scalar in its finalizer and keeps nothing alive during the native call that reads it, so a
/// temporary one (the 1e-6 of <c>x + 1e-6</c>, or the alpha = 1 that every <c>+</c> passes) can be
/// freed by a garbage collection on another thread in the middle of the call: libtorch then reads
/// freed memory ("Unknown scalar type", "Expected false to be true"), about once in a million calls
/// under collection pressure. Code that drives libtorch uses these forms instead of <c>+</c> and
/// implicit number-to-Scalar conversions; a test binds the sources and finds any left.
/// </summary>
public static class HeldScalars
{
    /// <summary>x + y.</summary>
    public static Tensor Plus(this Tensor x, Tensor y) => Held(1.ToScalar(), one => x.add(y, one));

    /// <summary>x + value, an integer scalar (an integer tensor stays integer).</summary>
    public static Tensor Plus(this Tensor x, long value) => Held(value.ToScalar(), v => x.PlusHeld(v));

    /// <summary>x + value.</summary>
    public static Tensor Plus(this Tensor x, double value) => Held(value.ToScalar(), v => x.PlusHeld(v));

    /// <summary>x − value, an integer scalar.</summary>
    public static Tensor Minus(this Tensor x, long value) => Held(value.ToScalar(), x.sub);

    /// <summary>value − x.</summary>
    public static Tensor SubtractedFrom(this Tensor x, double value) => x.neg().Plus(value);

    /// <summary>x / value.</summary>
    public static Tensor DividedBy(this Tensor x, double value) => Held(value.ToScalar(), v => x.div(v));

    /// <summary>In-place x / value.</summary>
    public static Tensor DivideInPlace(this Tensor x, double value) => Held(value.ToScalar(), v => x.div_(v));

    /// <summary>In-place x − value.</summary>
    public static Tensor SubtractInPlace(this Tensor x, double value) => Held(value.ToScalar(), x.sub_);

    /// <summary>x == value, elementwise.</summary>
    public static Tensor Eq(this Tensor x, long value) => Held(value.ToScalar(), x.eq);

    /// <summary>x != value, elementwise.</summary>
    public static Tensor Ne(this Tensor x, long value) => Held(value.ToScalar(), x.ne);

    /// <summary>x &gt;= value, elementwise.</summary>
    public static Tensor Ge(this Tensor x, long value) => Held(value.ToScalar(), x.ge);

    /// <summary>x &gt; value, elementwise.</summary>
    public static Tensor Gt(this Tensor x, double value) => Held(value.ToScalar(), x.gt);

    /// <summary>min(x, value), elementwise.</summary>
    public static Tensor ClampMax(this Tensor x, double value) => Held(value.ToScalar(), x.clamp_max);

    /// <summary>x with value where mask is true.</summary>
    public static Tensor MaskedFill(this Tensor x, Tensor mask, double value) => Held(value.ToScalar(), v => x.masked_fill(mask, v));

    /// <summary>x with an integer value where mask is true.</summary>
    public static Tensor MaskedFill(this Tensor x, Tensor mask, long value) => Held(value.ToScalar(), v => x.masked_fill(mask, v));

    /// <summary>x², as TorchSharp's square (which passes a temporary 2 to pow).</summary>
    public static Tensor Square(this Tensor x) => Held(2.ToScalar(), x.pow);

    /// <summary>0, 1, …, stop − 1 (TorchSharp's one- and two-argument arange pass temporary bounds).</summary>
    public static Tensor Arange(long stop, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        using var zero = 0L.ToScalar();
        using var s = stop.ToScalar();
        using var one = 1L.ToScalar();
        return arange(zero, s, one, dtype: dtype, device: device);
    }

    /// <summary>A tensor of the given shape filled with an integer value.</summary>
    public static Tensor Full(long[] shape, long value, ScalarType dtype, Device? device = null) =>
        Held(value.ToScalar(), v => full(shape, v, dtype: dtype, device: device));

    /// <summary>x + a scalar the caller holds, with add's alpha held too.</summary>
    static Tensor PlusHeld(this Tensor x, Scalar value) => Held(1.ToScalar(), one => x.add(value, one));

    /// <summary>Runs op on the scalar and frees the scalar after op has returned.</summary>
    static Tensor Held(Scalar value, Func<Scalar, Tensor> op)
    {
        using (value) return op(value);
    }
}
