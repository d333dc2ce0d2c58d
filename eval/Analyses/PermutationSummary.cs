namespace Pipeline.Eval;

/// <summary>Table 1 for one variant: overall and per category, with the seeds that produced it.</summary>
/// <param name="PerCategory">Categories with questions, in the accuracy table's order.</param>
public sealed record PermutationSummary(IReadOnlyList<int> Seeds, PermutationDelta Overall, IReadOnlyDictionary<string, PermutationDelta> PerCategory,
    PermutationMode? Mode = null);

/// <summary>
/// How Table 1 shuffles: a fresh permutation per question (the authors' code draws one per forward
/// call and answers a question a call), or one permutation per seed shared by every question.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<PermutationMode>))]
public enum PermutationMode { PerQuestion, Fixed }
