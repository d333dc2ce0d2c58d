using Pipeline.Data;
namespace Pipeline.Eval.Study;

/// <summary>Everything the evaluation of one artifact measured: eval.json.</summary>
/// <param name="Permutation">Null when no permutation seeds were asked for.</param>
/// <param name="Position">Null where the probe does not apply (fewer than two images, a 1×1 pooled grid) and in eval.json files written before it existed.</param>
public sealed record VariantEvaluation(
    string Variant,
    string Artifact,
    int Opset,
    string ExecutionProvider,
    string? FallbackReason,
    int NumImageTokens,
    AccuracyResult Accuracy,
    IReadOnlyDictionary<string, double> Chance,
    PermutationSummary? Permutation,
    NormReport Norms,
    EntropyReport Entropy,
    IReadOnlyList<AttentionMapRecord> Maps,
    EvalTiming Timing,
    PositionReport? Position = null,
    SemanticControl? Semantic = null);

/// <summary>
/// The semantic control on the same artifact and images: questions that need no position, scored
/// and shuffled as 2DS is, so that the two permutation deltas can be read side by side.
/// </summary>
/// <param name="Permutation">Null when no permutation seeds were asked for.</param>
public sealed record SemanticControl(AccuracyResult Accuracy, IReadOnlyDictionary<string, double> Chance, PermutationSummary? Permutation);

/// <summary>
/// How much of each vision token's grid position a linear read-out recovers (held-out R²), in
/// the encoder's features and in the tokens the language model receives.
/// </summary>
public sealed record PositionReport(PositionFit EncoderFeatures, PositionFit ImageTokens);

/// <summary>Fig. 3: L2 norms of vision tokens at each point of the connector and of the text token embeddings.</summary>
/// <param name="Projector">Vision tokens after the projector (before any adapter).</param>
/// <param name="Adapter">After the norm adapter; null for the baseline.</param>
/// <param name="ImageTokens">What the language model receives (after the adapter and any pooling).</param>
/// <param name="Text">Rows of the language model's token-embedding table (every vocabulary entry).</param>
/// <param name="Ratio">Mean vision-token norm as the LM receives it over mean text-embedding norm.</param>
public sealed record NormReport(NormStats Projector, NormStats? Adapter, NormStats ImageTokens, NormStats Text, double Ratio);

/// <summary>Table 4: normalised attention entropy over the vision span, averaged over heads and layers.</summary>
/// <param name="FirstAnswerToken">The query that predicts the first answer token.</param>
/// <param name="AllText">Every text token after the image span.</param>
/// <param name="Paper">Table 4 the paper's way (<see cref="AttentionEntropy.PaperStyle"/>) over the same text tokens as <paramref name="AllText"/>; null in evaluations made before it was measured.</param>
public sealed record EntropyReport(Spread FirstAnswerToken, Spread AllText, Spread? Paper = null);

/// <summary>Fig. 7: one question's attention over the image grid (the query predicting the answer).</summary>
public sealed record AttentionMapRecord(string QuestionId, string Image, string Question, string Expected, string Predicted, bool Correct, double Entropy, int Grid, float[] Weights);

/// <summary>How long the evaluation took, in seconds, and the answering rate without the analyses.</summary>
public sealed record EvalTiming(double VisionSeconds, double AnswerSeconds, double QuestionsPerSecond, double TotalSeconds, long PeakWorkingSetBytes);

/// <summary>One line of predictions.jsonl.</summary>
public sealed record PredictionRecord(string Id, string Category, int NumObjects, string Answer, string Predicted, bool Correct);
