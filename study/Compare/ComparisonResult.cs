namespace Pipeline.Study.Compare;

/// <summary>One runtime configuration measured against TorchSharp eager on the same batches.</summary>
/// <param name="Agreement">Share of questions whose greedy answer equals TorchSharp's.</param>
/// <param name="Outputs">Per graph output on the artifact's test vectors: max abs/rel difference from TorchSharp.</param>
public sealed record RuntimeRow(
    string Runtime,
    int? Opset,
    string Optimization,
    string ExecutionProvider,
    double QuestionsPerSecond,
    double Accuracy,
    double Agreement,
    IReadOnlyList<OutputDifference> Outputs);

public sealed record OutputDifference(string Output, double MaxAbs, double MaxRel);

/// <summary>compare.json: every configuration of one variant.</summary>
public sealed record ComparisonResult(string Variant, int Questions, int BatchSize, int Threads, IReadOnlyList<RuntimeRow> Rows)
{
    public const string FileName = "compare.json";
}
