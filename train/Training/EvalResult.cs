namespace Pipeline.Train.Training;

/// <summary>2DS-test scores of one variant (the paper's Table 2 layout), the semantic control's, and its norm statistics.</summary>
/// <param name="Overall">Over the 2DS (spatial) questions only.</param>
/// <param name="SemanticOverall">Over the semantic control's questions; null where the split has none.</param>
public sealed record EvalResult(
    string Variant,
    int Questions,
    double Overall,
    IReadOnlyDictionary<string, double> PerCategory,
    IReadOnlyDictionary<string, double> PerObjectCount,
    IReadOnlyDictionary<string, double> ChancePerCategory,
    double VisionTokenNormMean,
    double TextEmbeddingNormMean,
    double QuestionsPerS,
    double? SemanticOverall = null,
    IReadOnlyDictionary<string, double>? SemanticPerCategory = null,
    IReadOnlyDictionary<string, double>? SemanticChance = null)
{
    public double NormRatio => VisionTokenNormMean / TextEmbeddingNormMean;
}

/// <summary>One graded answer.</summary>
public sealed record Prediction(string Id, string Category, int NumObjects, string Answer, string Predicted, bool Correct);
