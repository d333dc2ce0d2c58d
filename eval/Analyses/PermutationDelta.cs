namespace Pipeline.Eval;

/// <summary>
/// One cell of Table 1: the unpermuted accuracy, the permuted accuracies over the seeds and the
/// change (permuted − unpermuted, as fractions; negative = permuting hurt), each with mean, std
/// (over seeds), min and max, so that a small drop can be told from seed noise.
/// </summary>
public sealed record PermutationDelta(double Unpermuted, Spread Permuted, Spread Delta);

/// <summary>Table 1 for one variant: overall and per category, with the seeds that produced it.</summary>
/// <param name="PerCategory">Categories with questions, in <c>Categories.All</c> order.</param>
public sealed record PermutationSummary(IReadOnlyList<int> Seeds, PermutationDelta Overall, IReadOnlyDictionary<string, PermutationDelta> PerCategory);
