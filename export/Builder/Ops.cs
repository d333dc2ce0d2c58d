using Onnx;
using Pipeline.Runtime;

namespace Pipeline.Export.Builder;

/// <summary>
/// The operators the exporter uses, over a <see cref="GraphBuilder"/>, written for one opset: the
/// places where ONNX changed an operator's form (reduce axes as an input from opset 18) or added a
/// standard one (Gelu 20; RMSNormalization, RotaryEmbedding, Attention 23) are decided here.
/// </summary>
public sealed class Ops(GraphBuilder graph, int opset)
{
    public GraphBuilder Graph => graph;

    public int Opset => opset;

    /// <summary>Opset 23's RMSNormalization, RotaryEmbedding and Attention instead of their decompositions.</summary>
    public bool UsesStandardLlmOps => opset >= 23;

    public IDisposable Scope(string part) => graph.Scope(part);

    public Value Op(string opType, string name, params Value[] inputs) => graph.Op(opType, name, inputs);

    public Value Add(string name, Value a, Value b) => Op("Add", name, a, b);

    public Value Sub(string name, Value a, Value b) => Op("Sub", name, a, b);

    public Value Mul(string name, Value a, Value b) => Op("Mul", name, a, b);

    public Value Div(string name, Value a, Value b) => Op("Div", name, a, b);

    public Value MatMul(string name, Value a, Value b) => Op("MatMul", name, a, b);

    public Value Transpose(string name, Value x, params long[] perm) => graph.Op("Transpose", name, [x], Attr.Ints("perm", perm));

    /// <summary>Reshape; 0 keeps the input's dimension, -1 is inferred (allowzero = 0).</summary>
    public Value Reshape(string name, Value x, params long[] shape) => Op("Reshape", name, x, graph.Ints(shape));

    public Value Unsqueeze(string name, Value x, params long[] axes) => Op("Unsqueeze", name, x, graph.Ints(axes));

    public Value Concat(string name, long axis, params Value[] inputs) => graph.Op("Concat", name, inputs, Attr.Int("axis", axis));

    public Value[] Split(string name, Value x, long axis, params long[] sizes) =>
        graph.Op("Split", name, [x, graph.Ints(sizes)], sizes.Length, Attr.Int("axis", axis));

    public Value Cast(string name, Value x, TensorProto.Types.DataType to) => graph.Op("Cast", name, [x], Attr.Int("to", (long)to));

    public Value Softmax(string name, Value x) => graph.Op("Softmax", name, [x], Attr.Int("axis", -1));

    /// <summary>ReduceMean / ReduceL2 over <paramref name="axes"/>: an attribute before opset 18, an input from 18 on.</summary>
    public Value Reduce(string opType, string name, Value x, long[] axes, bool keepDims) => opset >= 18
        ? graph.Op(opType, name, [x, graph.Ints(axes)], Attr.Int("keepdims", keepDims ? 1 : 0))
        : graph.Op(opType, name, [x], Attr.Ints("axes", axes), Attr.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>torch.nn.Linear: x·Wᵀ + b, with Wᵀ stored transposed as (in, out).</summary>
    public Value Linear(string name, Value x, Value weightT, Value? bias)
    {
        using var _ = Scope(name);
        var y = MatMul("matmul", x, weightT);
        return bias is { } b ? Add("bias", y, b) : y;
    }

    /// <summary>torch.nn.LayerNorm over the last dimension (LayerNormalization, opset 17).</summary>
    public Value LayerNorm(string name, Value x, Value weight, Value bias, float eps) =>
        graph.Op("LayerNormalization", name, [x, weight, bias], Attr.Int("axis", -1), Attr.Float("epsilon", eps));

    /// <summary>
    /// torch.nn.GELU() (exact, erf form): Gelu from opset 20, else x·0.5·(1 + erf(x/√2)) as torch's
    /// CPU kernel writes it.
    /// </summary>
    public Value Gelu(string name, Value x)
    {
        if (opset >= 20) return graph.Op("Gelu", name, [x], Attr.String("approximate", "none"));
        using var _ = Scope(name);
        var erf = Op("Erf", "erf", Mul("scale", x, graph.Scalar((float)(1 / Math.Sqrt(2)))));
        return Mul("mul", Mul("half", x, graph.Scalar(0.5f)), Add("one_plus", erf, graph.Scalar(1f)));
    }

    /// <summary>SiLU as x·σ(x) (ONNX has no standard SiLU before Swish in opset 24).</summary>
    public Value Silu(string name, Value x)
    {
        using var _ = Scope(name);
        return Mul("mul", x, Op("Sigmoid", "sigmoid", x));
    }

    /// <summary>
    /// RMSNorm over the last dimension, x·rsqrt(mean(x²) + eps)·w: RMSNormalization from opset 23,
    /// else the primitive chain (the reciprocal of Sqrt stands for torch's rsqrt).
    /// </summary>
    public Value RmsNorm(string name, Value x, Value weight, float eps)
    {
        if (UsesStandardLlmOps)
            return graph.Op("RMSNormalization", name, [x, weight], Attr.Int("axis", -1), Attr.Float("epsilon", eps));
        using var _ = Scope(name);
        var meanSquare = Reduce("ReduceMean", "mean_square", Mul("square", x, x), [-1], keepDims: true);
        var inverse = Op("Reciprocal", "rsqrt", Op("Sqrt", "sqrt", Add("add_eps", meanSquare, graph.Scalar(eps))));
        return Mul("scale", Mul("normalize", x, inverse), weight);
    }
}
