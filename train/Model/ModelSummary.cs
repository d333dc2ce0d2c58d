using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>Parameter listings for snapshot tests, logs and model cards.</summary>
public static class ModelSummary
{
    /// <summary>Every named parameter with its shape, in registration order.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Parameters(nn.Module module) =>
        module.named_parameters().Select(p => (p.name, p.parameter.shape)).ToArray();

    /// <summary>Every named buffer (norm constants, RoPE frequencies) with its shape.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Buffers(nn.Module module) =>
        module.named_buffers().Select(p => (p.name, p.buffer.shape)).ToArray();

    public static long CountParameters(nn.Module module) => module.parameters().Sum(p => p.numel());

    /// <summary>One "name (d0, d1, …)" line per parameter.</summary>
    public static string Format(nn.Module module) =>
        string.Join('\n', Parameters(module).Select(p => $"{p.Name} ({string.Join(", ", p.Shape)})"));
}
