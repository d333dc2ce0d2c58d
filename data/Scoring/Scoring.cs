namespace Pipeline.Data;

/// <summary>
/// How every 2DS answer is graded, whoever produced it: exact match after normalisation (the
/// paper used a GPT-4o-mini judge with sampling; we stay deterministic), against one chance rate.
/// </summary>
public static class Scoring
{
    /// <summary>Exact match after <see cref="Words.Normalize"/>.</summary>
    public static bool IsCorrect(string predicted, string expected) => Words.Normalize(predicted) == Words.Normalize(expected);

    /// <summary>Chance per category: yes/no (relative, presence) or guessing uniformly among the image's objects (the rest).</summary>
    public static IReadOnlyDictionary<string, double> Chance(IEnumerable<Question> questions) =>
        new SortedDictionary<string, double>(questions.GroupBy(q => q.Category).ToDictionary(
            g => g.Key,
            g => Categories.IsYesNo(g.Key) ? 0.5 : g.Average(q => 1.0 / q.NumObjects)), StringComparer.Ordinal);
}
