using Pipeline.Runtime;

namespace Pipeline.Eval.Study;

/// <summary>How to evaluate one artifact on a 2DS split.</summary>
/// <param name="Seeds">Permutation-test seeds (Table 1): each shuffles the vision tokens once, the same way for every question.</param>
/// <param name="MapQuestions">Question ids whose attention maps are kept for Fig. 7 (default: <see cref="QuestionPicks.ForMaps"/>).</param>
public sealed record EvalOptions(
    string ArtifactDir,
    string DataDir,
    SessionSettings Session,
    int BatchSize = 64,
    int MaxAnswerTokens = 3,
    IReadOnlyList<int>? Seeds = null,
    IReadOnlyList<string>? MapQuestions = null,
    PermutationMode Permutation = PermutationMode.PerQuestion)
{
    public static readonly IReadOnlyList<int> DefaultSeeds = [1, 2, 3, 4, 5];

    public IReadOnlyList<int> PermutationSeeds => Seeds ?? DefaultSeeds;

    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentException($"batch size must be positive (got {BatchSize})");
        if (MaxAnswerTokens < 1) throw new ArgumentException($"max answer tokens must be positive (got {MaxAnswerTokens})");
        if (PermutationSeeds.Distinct().Count() != PermutationSeeds.Count) throw new ArgumentException("permutation seeds must differ");
    }
}
