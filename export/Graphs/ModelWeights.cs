using Pipeline.Export.Builder;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using static TorchSharp.torch;

namespace Pipeline.Export.Graphs;

/// <summary>
/// The checkpoint's parameters and buffers as ONNX initializers, under their TorchSharp names, so a
/// weight in Netron can be traced to the checkpoint (a Linear weight stored transposed as (in, out)
/// for MatMul is named NAME.T). No per-weight doc strings: the names say it, and they would cost
/// more bytes than a small model's weights can carry within the size budget. Records which were exported: a weight that
/// no graph reads is an exporter bug, caught by <see cref="RequireAllUsed"/>.
/// </summary>
public sealed class ModelWeights
{
    readonly IReadOnlyDictionary<string, Tensor> _state;
    readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public ModelWeights(VisionLanguageModel model)
    {
        _state = model.state_dict();
    }

    /// <summary>The weight as stored, float32.</summary>
    public HostTensor Get(string name) => ToHost(Lookup(name));

    /// <summary>An initializer holding the weight as stored.</summary>
    public Value Param(GraphBuilder graph, string name)
    {
        var tensor = Lookup(name);
        _used.Add(name);
        return graph.Initializer(name, ToHost(tensor));
    }

    /// <summary>A Linear weight (out, in) as (in, out) for MatMul, named NAME.T.</summary>
    public Value ParamTransposed(GraphBuilder graph, string name)
    {
        var tensor = Lookup(name);
        if (tensor.dim() != 2) throw new ArgumentException($"{name} has {tensor.dim()} dimensions; only matrices are transposed.", nameof(name));
        _used.Add(name);
        using var transposed = tensor.t();
        return graph.Initializer($"{name}.T", ToHost(transposed));
    }

    /// <summary>Declares a weight that the model holds but its forward pass never reads for this config.</summary>
    public void NotRead(string name)
    {
        Lookup(name);
        _used.Add(name);
    }

    public void RequireAllUsed()
    {
        var unused = _state.Keys.Where(k => !_used.Contains(k)).ToArray();
        if (unused.Length > 0) throw new InvalidOperationException($"The exported graphs do not read {string.Join(", ", unused)}.");
    }

    Tensor Lookup(string name) =>
        _state.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"the checkpoint has no weight '{name}'");

    static HostTensor ToHost(Tensor t)
    {
        using var scope = NewDisposeScope();
        var data = t.detach().cpu().to(float32).contiguous().data<float>().ToArray();
        return HostTensor.Float(t.shape.ToArray(), data);
    }
}
