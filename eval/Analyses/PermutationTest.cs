using Pipeline.Data;

namespace Pipeline.Eval;

/// <summary>Combines the scores of one unpermuted run and several permuted runs (one per seed) into Table 1.</summary>
public static class PermutationTest
{
    /// <param name="unpermuted">Scores with the vision tokens in order.</param>
    /// <param name="permuted">Per seed, the scores with the tokens shuffled by <see cref="TokenPermutation.Create"/>(M, seed).</param>
    /// <exception cref="ArgumentException">No permuted runs, repeated seeds, or runs over different question counts.</exception>
    public static PermutationSummary Summarize(AccuracyResult unpermuted, IReadOnlyList<(int Seed, AccuracyResult Result)> permuted)
    {
        ArgumentNullException.ThrowIfNull(unpermuted);
        ArgumentNullException.ThrowIfNull(permuted);
        if (permuted.Count == 0)
            throw new ArgumentException("No permuted runs to compare with.", nameof(permuted));
        if (permuted.Select(p => p.Seed).Distinct().Count() != permuted.Count)
            throw new ArgumentException("A seed appears twice: its run would count double.", nameof(permuted));
        foreach (var (seed, result) in permuted)
            if (result.Overall.Total != unpermuted.Overall.Total)
                throw new ArgumentException($"Seed {seed} scored {result.Overall.Total} questions, the unpermuted run {unpermuted.Overall.Total}: not the same benchmark.", nameof(permuted));
        var perCategory = new Dictionary<string, PermutationDelta>(StringComparer.Ordinal);
        foreach (var (c, cell) in unpermuted.PerCategory)
            if (cell.Accuracy is double acc)
                perCategory[c] = Delta(acc, permuted.Select(p => p.Result.PerCategory[c].Accuracy ?? double.NaN));
        return new PermutationSummary(
            permuted.Select(p => p.Seed).ToArray(),
            Delta(unpermuted.Overall.Accuracy ?? throw new ArgumentException("The unpermuted run has no questions.", nameof(unpermuted)),
                permuted.Select(p => p.Result.Overall.Accuracy ?? double.NaN)),
            perCategory);
    }

    static PermutationDelta Delta(double unpermuted, IEnumerable<double> permuted)
    {
        var values = permuted.ToArray();
        return new PermutationDelta(unpermuted, Spread.Of(values), Spread.Of(values.Select(v => v - unpermuted)));
    }
}
