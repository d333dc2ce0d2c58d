using System.Globalization;
using Onnx;
using Pipeline.Runtime;

namespace Pipeline.Export.Builder;

/// <summary>A tensor in the graph under construction, known by its name.</summary>
public readonly record struct Value(string Name)
{
    /// <summary>An omitted optional input or output (ONNX writes it as the empty name).</summary>
    public static Value None { get; } = new("");

    public bool IsNone => Name.Length == 0;

    public override string ToString() => Name;
}

/// <summary>What the model carries besides its graph.</summary>
public sealed record ModelInfo(
    int Opset, long IrVersion, string ProducerName, string ProducerVersion, string DocString, IReadOnlyList<KeyValuePair<string, string>> Metadata);

/// <summary>
/// A typed builder over the ONNX protobuf classes: inputs and outputs with element types and
/// symbolic dimensions, initializers, nodes named by a hierarchical scope
/// (`language_model/layer0/attn/softmax`, which Netron shows), doc strings and model metadata.
/// Every node's output tensor takes the node's name, so graph and tensor names read the same.
/// </summary>
public sealed class GraphBuilder
{
    readonly GraphProto _graph;
    readonly List<string> _scope = [];
    readonly HashSet<string> _values = new(StringComparer.Ordinal);
    readonly Dictionary<string, Value> _constants = new(StringComparer.Ordinal);
    readonly List<TensorSignature> _inputs = [];
    readonly List<TensorSignature> _outputs = [];

    public GraphBuilder(string name, string docString)
    {
        _graph = new GraphProto { Name = name, DocString = docString };
    }

    public string Name => _graph.Name;

    public string DocString => _graph.DocString;

    public IReadOnlyList<TensorSignature> Inputs => _inputs;

    public IReadOnlyList<TensorSignature> Outputs => _outputs;

    /// <summary>Names made inside the returned scope are prefixed with <paramref name="part"/>/ until it is disposed.</summary>
    public IDisposable Scope(string part)
    {
        if (part.Length == 0 || part.Contains('/')) throw new ArgumentException($"A scope part is one non-empty path segment, got '{part}'.", nameof(part));
        _scope.Add(part);
        int depth = _scope.Count;
        return new ScopeExit(() =>
        {
            if (_scope.Count != depth) throw new InvalidOperationException("Scopes must be closed in reverse order.");
            _scope.RemoveAt(_scope.Count - 1);
        });
    }

    public string Qualify(string name) => _scope.Count == 0 ? name : $"{string.Join('/', _scope)}/{name}";

    public Value Input(TensorSignature signature)
    {
        Claim(signature.Name);
        _graph.Input.Add(ValueInfo(signature));
        _inputs.Add(signature);
        return new Value(signature.Name);
    }

    /// <summary>A named initializer (weights keep their checkpoint names, unscoped).</summary>
    public Value Initializer(string name, HostTensor tensor, string? docString = null)
    {
        Claim(name);
        var proto = TensorProtoFile.ToProto(name, tensor);
        if (docString is not null) proto.DocString = docString;
        _graph.Initializer.Add(proto);
        return new Value(name);
    }

    /// <summary>A 0-d float constant, shared by every use of the same value.</summary>
    public Value Scalar(float value) =>
        Constant($"const/float/{value.ToString("R", CultureInfo.InvariantCulture)}", HostTensor.Float([], [value]));

    /// <summary>A 0-d int64 constant.</summary>
    public Value Scalar(long value) =>
        Constant($"const/int64/{value.ToString(CultureInfo.InvariantCulture)}", HostTensor.Int64([], [value]));

    /// <summary>A 1-d int64 constant (shapes, axes, split sizes).</summary>
    public Value Ints(params long[] values) =>
        Constant($"const/int64/[{string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)))}]", HostTensor.Int64([values.Length], values));

    Value Constant(string name, HostTensor tensor)
    {
        if (_constants.TryGetValue(name, out var existing)) return existing;
        var value = Initializer(name, tensor);
        _constants[name] = value;
        return value;
    }

    /// <summary>A node with one output; the node and its output are both named <see cref="Qualify"/>(<paramref name="name"/>).</summary>
    public Value Op(string opType, string name, IReadOnlyList<Value> inputs, params AttributeProto[] attributes) =>
        Op(opType, name, inputs, 1, attributes)[0];

    /// <summary>A node with several outputs, named name:0, name:1…; <paramref name="used"/> false leaves an optional output out.</summary>
    public Value[] Op(string opType, string name, IReadOnlyList<Value> inputs, int outputs, params AttributeProto[] attributes) =>
        Op(opType, name, inputs, Enumerable.Repeat(true, outputs).ToArray(), attributes);

    public Value[] Op(string opType, string name, IReadOnlyList<Value> inputs, bool[] used, params AttributeProto[] attributes)
    {
        string nodeName = Qualify(name);
        var node = new NodeProto { OpType = opType, Name = nodeName };
        foreach (var input in inputs)
        {
            if (!input.IsNone && !_values.Contains(input.Name)) throw new ArgumentException($"Node {nodeName} reads '{input.Name}', which nothing produces.", nameof(inputs));
            node.Input.Add(input.Name);
        }
        // Trailing omitted optional inputs are dropped, as ONNX prefers.
        while (node.Input.Count > 0 && node.Input[^1].Length == 0) node.Input.RemoveAt(node.Input.Count - 1);
        var results = new Value[used.Length];
        for (int i = 0; i < used.Length; i++)
        {
            string output = !used[i] ? "" : used.Length == 1 ? nodeName : $"{nodeName}:{i}";
            if (output.Length > 0) Claim(output);
            node.Output.Add(output);
            results[i] = new Value(output);
        }
        while (node.Output.Count > 0 && node.Output[^1].Length == 0) node.Output.RemoveAt(node.Output.Count - 1);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return results;
    }

    /// <summary>Exposes <paramref name="value"/> as a graph output through an Identity node `outputs/NAME` (free at run time).</summary>
    public void Output(Value value, TensorSignature signature)
    {
        Claim(signature.Name);
        var node = new NodeProto { OpType = "Identity", Name = $"outputs/{signature.Name}", DocString = signature.Description };
        node.Input.Add(value.Name);
        node.Output.Add(signature.Name);
        _graph.Node.Add(node);
        _graph.Output.Add(ValueInfo(signature));
        _outputs.Add(signature);
    }

    public ModelProto ToModel(ModelInfo info)
    {
        var model = new ModelProto
        {
            IrVersion = info.IrVersion,
            ProducerName = info.ProducerName,
            ProducerVersion = info.ProducerVersion,
            DocString = info.DocString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = info.Opset });
        foreach (var (key, value) in info.Metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    void Claim(string name)
    {
        if (!_values.Add(name)) throw new InvalidOperationException($"The graph already has a tensor named '{name}'.");
    }

    static ValueInfoProto ValueInfo(TensorSignature signature)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in signature.Shape)
            shape.Dim.Add(dim.Symbol is { } symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = dim.Size!.Value });
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProtoFile.ToDataType(ElementTypes.Parse(signature.ElementType)), Shape = shape };
        return new ValueInfoProto { Name = signature.Name, DocString = signature.Description, Type = new TypeProto { TensorType = tensorType } };
    }

    sealed class ScopeExit(Action exit) : IDisposable
    {
        bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            exit();
        }
    }
}
