using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Pipeline.Runtime;

/// <summary>How to open a session. CPU only for now; thread counts are explicit so timings are comparable.</summary>
/// <param name="IntraOpThreads">Threads inside one operator (ORT's default would take every core).</param>
/// <param name="OptimizeGraph">ORT's graph optimizations (all) or none, for comparing the two.</param>
public sealed record SessionSettings(int IntraOpThreads = 1, bool OptimizeGraph = true)
{
    public static SessionSettings Default { get; } = new();
}

/// <summary>
/// One ONNX graph under ONNX Runtime's CPU execution provider, fed and read through OrtValues
/// (the recommended API). Only the outputs asked for are computed and copied back.
/// </summary>
public sealed class OrtGraphSession : IDisposable
{
    readonly InferenceSession _session;
    readonly RunOptions _runOptions = new();

    OrtGraphSession(InferenceSession session, string path)
    {
        _session = session;
        Path = path;
    }

    public string Path { get; }

    public string ExecutionProvider => "CPUExecutionProvider";

    public IReadOnlyList<string> InputNames => _session.InputNames;

    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    public static OrtGraphSession Open(string path, SessionSettings? settings = null)
    {
        settings ??= SessionSettings.Default;
        if (settings.IntraOpThreads < 1) throw new ArgumentException($"IntraOpThreads must be at least 1 (got {settings.IntraOpThreads})");
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX file {path} does not exist", path);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = settings.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = settings.OptimizeGraph ? GraphOptimizationLevel.ORT_ENABLE_ALL : GraphOptimizationLevel.ORT_DISABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            return new OrtGraphSession(new InferenceSession(path, options), path);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX Runtime cannot load {path}: {FirstLine(e.Message)}");
        }
    }

    /// <summary>Runs the graph; <paramref name="outputNames"/> defaults to every output.</summary>
    public IReadOnlyDictionary<string, HostTensor> Run(IReadOnlyDictionary<string, HostTensor> inputs, IEnumerable<string>? outputNames = null)
    {
        string[] outputs = (outputNames ?? OutputNames).ToArray();
        foreach (var name in outputs)
            if (!OutputNames.Contains(name)) throw new ArgumentException($"{System.IO.Path.GetFileName(Path)} has no output '{name}' (outputs: {string.Join(", ", OutputNames)})");
        foreach (var name in inputs.Keys)
            if (!InputNames.Contains(name)) throw new ArgumentException($"{System.IO.Path.GetFileName(Path)} has no input '{name}' (inputs: {string.Join(", ", InputNames)})");
        var missing = InputNames.Where(n => !inputs.ContainsKey(n)).ToArray();
        if (missing.Length > 0) throw new ArgumentException($"{System.IO.Path.GetFileName(Path)} needs input(s) {string.Join(", ", missing)}");

        var values = new List<OrtValue>(InputNames.Count);
        try
        {
            foreach (var name in InputNames) values.Add(ToOrtValue(inputs[name]));
            using var results = _session.Run(_runOptions, InputNames, values, outputs);
            return outputs.Zip(results).ToDictionary(p => p.First, p => ToHost(p.Second));
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    /// <summary>Wraps the managed array without copying; the OrtValue pins it until disposed.</summary>
    static OrtValue ToOrtValue(HostTensor tensor) => tensor.Type switch
    {
        ElementType.Float32 => OrtValue.CreateTensorValueFromMemory(tensor.Floats, tensor.Shape),
        ElementType.Int64 => OrtValue.CreateTensorValueFromMemory(tensor.Longs, tensor.Shape),
        _ => throw new ArgumentOutOfRangeException(nameof(tensor), tensor.Type, "Unsupported element type."),
    };

    static HostTensor ToHost(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        long[] shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => HostTensor.Float(shape, value.GetTensorDataAsSpan<float>().ToArray()),
            TensorElementType.Int64 => HostTensor.Int64(shape, value.GetTensorDataAsSpan<long>().ToArray()),
            var other => throw new InvalidDataException($"an output has element type {other}; artifacts produce float32 or int64"),
        };
    }

    /// <summary>Throws InvalidDataException where the graph's inputs or outputs differ from the manifest's signature.</summary>
    public void CheckSignature(GraphSignature signature)
    {
        string file = System.IO.Path.GetFileName(Path);
        Check(file, "inputs", _session.InputMetadata, InputNames, signature.Inputs);
        Check(file, "outputs", _session.OutputMetadata, OutputNames, signature.Outputs);
    }

    /// <summary>
    /// Names and order exactly; element types; rank; fixed dimensions exactly. A symbolic manifest
    /// dimension accepts whatever ONNX Runtime reports: its shape inference may fill one in (ONNX's
    /// Attention inference writes 0 for a dynamic key length in opset 23's probabilities output).
    /// </summary>
    static void Check(string file, string what, IReadOnlyDictionary<string, NodeMetadata> metadata, IReadOnlyList<string> names, IReadOnlyList<TensorSignature> expected)
    {
        if (!names.SequenceEqual(expected.Select(e => e.Name)))
            throw new InvalidDataException($"{file} has {what} [{string.Join(", ", names)}] but the manifest lists [{string.Join(", ", expected.Select(e => e.Name))}]");
        foreach (var e in expected)
        {
            var m = metadata[e.Name];
            string type = m.ElementDataType switch
            {
                TensorElementType.Float => ElementType.Float32.ToName(),
                TensorElementType.Int64 => ElementType.Int64.ToName(),
                var other => other.ToString(),
            };
            bool fits = m.Dimensions.Length == e.Shape.Count && m.Dimensions.Zip(e.Shape).All(p => p.Second.IsSymbolic || p.First == p.Second.Size);
            if (type != e.ElementType || !fits)
            {
                var dims = m.Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : m.SymbolicDimensions[i]);
                throw new InvalidDataException($"{file}: '{e.Name}' is {type} ({string.Join(", ", dims)}) but the manifest says {e.ElementType} ({string.Join(", ", e.Shape)})");
            }
        }
    }

    static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
