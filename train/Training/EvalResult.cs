namespace Pipeline.Train.Training;

/// <summary>2DS-test scores of one variant (the paper's Table 2 layout) and its norm statistics.</summary>
public sealed record EvalResult(
    string Variant,
    int Questions,
    double Overall,
    IReadOnlyDictionary<string, double> PerCategory,
    IReadOnlyDictionary<string, double> PerObjectCount,
    IReadOnlyDictionary<string, double> ChancePerCategory,
    double VisionTokenNormMean,
    double TextEmbeddingNormMean,
    double QuestionsPerS)
{
    public double NormRatio => VisionTokenNormMean / TextEmbeddingNormMean;
}

/// <summary>One graded answer.</summary>
public sealed record Prediction(string Id, string Category, int NumObjects, string Answer, string Predicted, bool Correct);
