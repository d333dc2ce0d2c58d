namespace Pipeline.Eval;

/// <summary>Table 1 for one variant: overall and per category, with the seeds that produced it.</summary>
/// <param name="PerCategory">Categories with questions, in <c>Categories.All</c> order.</param>
public sealed record PermutationSummary(IReadOnlyList<int> Seeds, PermutationDelta Overall, IReadOnlyDictionary<string, PermutationDelta> PerCategory);
