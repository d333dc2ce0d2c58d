using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Pipeline.Runtime;

/// <summary>How to open a session; thread counts are explicit so timings are comparable.</summary>
/// <param name="IntraOpThreads">Threads inside one operator (ORT's default would take every core).</param>
/// <param name="OptimizeGraph">ORT's graph optimizations (all) or none, for comparing the two.</param>
/// <param name="Provider">The execution provider to ask for; Auto falls back to CPU where CUDA cannot run.</param>
/// <param name="AllowTf32">CUDA only: let matrix products use TF32 (ORT's default). Off here: on an H100 TF32 moved
/// the logits by up to 1e-2 and failed the test vectors' fp32 tolerances; exact fp32 costs little at this size.</param>
/// <param name="ConcurrentRuns">On the CPU, how many batches an answerer runs side by side, each on its own
/// IntraOpThreads (sessions are safe to run concurrently). On small models whole runs in parallel use the
/// cores better than one run's operators split across them.</param>
public sealed record SessionSettings(int IntraOpThreads = 1, bool OptimizeGraph = true, ExecutionProviderKind Provider = ExecutionProviderKind.Cpu,
    bool AllowTf32 = false, int ConcurrentRuns = 1)
{
    public static SessionSettings Default { get; } = new();

    /// <summary>For answering many questions on <paramref name="cores"/> cores: one thread per run, that many runs at once.</summary>
    public static SessionSettings ForAnswering(int cores, ExecutionProviderKind provider = ExecutionProviderKind.Cpu, bool optimizeGraph = true) =>
        new(1, optimizeGraph, provider, ConcurrentRuns: cores);
}

/// <summary>
/// One ONNX graph under ONNX Runtime, on the CPU or CUDA execution provider, fed and read through
/// OrtValues (the recommended API). Only the outputs asked for are computed and copied back.
/// </summary>
public sealed class OrtGraphSession : IDisposable
{
    readonly InferenceSession _session;

    OrtGraphSession(InferenceSession session, string path, string executionProvider, string? fallbackReason)
    {
        _session = session;
        Path = path;
        ExecutionProvider = executionProvider;
        FallbackReason = fallbackReason;
    }

    public string Path { get; }

    /// <summary>The provider the session actually runs on: CUDAExecutionProvider or CPUExecutionProvider.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Why an Auto session runs on the CPU (ONNX Runtime's reason, one line); null when it got what it asked for.</summary>
    public string? FallbackReason { get; }

    public IReadOnlyList<string> InputNames => _session.InputNames;

    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    /// <summary>
    /// Opens <paramref name="path"/> on the provider the settings ask for. Cuda that cannot run
    /// here is a NotSupportedException; Auto then runs on the CPU and says why in <see cref="FallbackReason"/>.
    /// </summary>
    public static OrtGraphSession Open(string path, SessionSettings? settings = null)
    {
        settings ??= SessionSettings.Default;
        if (settings.IntraOpThreads < 1) throw new ArgumentException($"IntraOpThreads must be at least 1 (got {settings.IntraOpThreads})");
        if (settings.ConcurrentRuns < 1) throw new ArgumentException($"ConcurrentRuns must be at least 1 (got {settings.ConcurrentRuns})");
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX file {path} does not exist", path);
        return settings.Provider == ExecutionProviderKind.Cpu ? OpenOnCpu(path, settings, null) : OpenWithCuda(path, settings);
    }

    static OrtGraphSession OpenOnCpu(string path, SessionSettings settings, string? fallbackReason)
    {
        using var options = NewOptions(settings);
        try
        {
            return new OrtGraphSession(new InferenceSession(path, options), path, ExecutionProviders.CpuName, fallbackReason);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX Runtime cannot load {path}: {FirstLine(e.Message)}");
        }
    }

    static OrtGraphSession OpenWithCuda(string path, SessionSettings settings)
    {
        string reason;
        bool appended = false;
        using (var options = NewOptions(settings))
        {
            try
            {
                AppendCuda(options, settings.AllowTf32);
                appended = true;
                return new OrtGraphSession(new InferenceSession(path, options), path, ExecutionProviders.CudaName, null);
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                reason = appended ? ProviderReason(e.Message) : CudaLibraries.Explain(ProviderReason(e.Message));
            }
        }
        if (!appended)
        {
            if (settings.Provider == ExecutionProviderKind.Cuda) throw ExecutionProviders.CudaUnavailable(reason);
            return OpenOnCpu(path, settings, reason);
        }
        // CUDA loaded but the session failed: a GPU-less machine, or a model no provider can load.
        // A CPU session tells the two apart (it throws InvalidDataException for the model).
        var cpu = OpenOnCpu(path, settings, reason);
        if (settings.Provider == ExecutionProviderKind.Auto) return cpu;
        cpu.Dispose();
        throw ExecutionProviders.CudaUnavailable(reason);
    }

    /// <summary>
    /// Throws when the provider library or its CUDA/cuDNN dependencies do not load, although
    /// GetAvailableProviders() lists CUDA in every build of this package. ORT also prints that
    /// failure to stderr itself; the exception carries it, so ORT's logger is quiet meanwhile.
    /// </summary>
    static void AppendCuda(SessionOptions options, bool allowTf32)
    {
        var env = OrtEnv.Instance();
        var level = env.EnvLogLevel;
        env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string> { ["device_id"] = "0", ["use_tf32"] = allowTf32 ? "1" : "0" });
            options.AppendExecutionProvider_CUDA(cuda);
        }
        finally
        {
            env.EnvLogLevel = level;
        }
    }

    static SessionOptions NewOptions(SessionSettings settings) => new()
    {
        IntraOpNumThreads = settings.IntraOpThreads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = settings.OptimizeGraph ? GraphOptimizationLevel.ORT_ENABLE_ALL : GraphOptimizationLevel.ORT_DISABLE_ALL,
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };

    /// <summary>
    /// The useful part of ORT's message: its first line from "Failed to load" or after the
    /// "[ErrorCode:…] source-file:line function [ONNXRuntimeError] : N : CODE :" preamble.
    /// </summary>
    internal static string ProviderReason(string message)
    {
        string line = FirstLine(message);
        int failed = line.IndexOf("Failed to load", StringComparison.Ordinal);
        if (failed >= 0) return line[failed..];
        int preamble = line.LastIndexOf(" : ", StringComparison.Ordinal);
        return preamble >= 0 && preamble + 3 < line.Length ? line[(preamble + 3)..] : line;
    }

    /// <summary>Runs the graph; <paramref name="outputNames"/> defaults to every output. Safe to call from several threads at once.</summary>
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
            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, InputNames, values, outputs);
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
    /// dimension accepts a dynamic one, or the 0 that ONNX's Attention inference writes for a dynamic
    /// key length in opset 23's probabilities output, but not a fixed size the graph was built with.
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
            bool fits = m.Dimensions.Length == e.Shape.Count && m.Dimensions.Zip(e.Shape).All(p => p.Second.IsSymbolic ? p.First <= 0 : p.First == p.Second.Size);
            if (type != e.ElementType || !fits)
            {
                var dims = m.Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : m.SymbolicDimensions[i]);
                throw new InvalidDataException($"{file}: '{e.Name}' is {type} ({string.Join(", ", dims)}) but the manifest says {e.ElementType} ({string.Join(", ", e.Shape)})");
            }
        }
    }

    static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    public void Dispose() => _session.Dispose();
}
