using Pipeline.Data;
using System.Diagnostics;
using Pipeline.Runtime;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Eval.Study;

/// <summary>
/// The paper's study on one exported artifact under ONNX Runtime: 2DS accuracy (Table 2), the
/// permutation test (Table 1), embedding norms (Fig. 3), attention entropy (Table 4) and the
/// attention maps of chosen questions (Fig. 7). Every image is encoded once; questions are
/// answered in batches with greedy decoding.
/// </summary>
public static class ArtifactEvaluator
{
    public sealed record Result(VariantEvaluation Evaluation, IReadOnlyList<PredictionRecord> Predictions, NormSamples Norms);

    public static Result Run(EvalOptions o, IProgress<string>? progress = null)
    {
        o.Validate();
        var total = Stopwatch.StartNew();
        using var artifact = ModelArtifact.Open(o.ArtifactDir, o.Session);
        var set = TestSet.Load(o.DataDir, artifact);
        progress?.Report($"{artifact.Manifest.Variant}: {set.Questions.Count} questions, {set.Data.Scenes.Count} images, {artifact.ExecutionProvider}");

        var clock = Stopwatch.StartNew();
        var vision = VisionPass.Run(artifact, set.Pixels, o.BatchSize);
        double visionSeconds = clock.Elapsed.TotalSeconds;
        var text = NormStatistics.RowNorms(TextEmbeddingTable(artifact));

        clock.Restart();
        var answers = Answer(artifact, set, vision.Embeddings, o, permutationOf: null);
        double answerSeconds = clock.Elapsed.TotalSeconds;
        var predictions = Predictions(set, answers);
        var accuracy = AccuracyTable.Score(Scored(set, answers));
        progress?.Report($"{artifact.Manifest.Variant}: accuracy {accuracy.Overall.Accuracy:P1} ({set.Questions.Count / answerSeconds:F0} questions/s)");

        int m = (int)vision.Embeddings.Shape[1];
        var permutation = Permuted(artifact, set, vision.Embeddings, o, accuracy, Categories.All, "2DS", progress);

        SemanticControl? semantic = null;
        if (set.Data.Semantic.Count > 0)
        {
            var control = set.WithQuestions(set.Data.Semantic, artifact.Tokenizer);
            var semanticAccuracy = AccuracyTable.Score(Scored(control, Answer(artifact, control, vision.Embeddings, o, permutationOf: null)), Categories.Semantic);
            progress?.Report($"{artifact.Manifest.Variant}: semantic control {semanticAccuracy.Overall.Accuracy:P1}");
            semantic = new SemanticControl(semanticAccuracy, control.Chance(),
                Permuted(artifact, control, vision.Embeddings, o, semanticAccuracy, Categories.Semantic, "semantic control", progress));
        }

        var attention = AttentionPass.Run(artifact, set, vision.Embeddings, answers, o.MapQuestions ?? QuestionPicks.ForMaps(set.Questions), o.BatchSize);
        progress?.Report($"{artifact.Manifest.Variant}: attention entropy {attention.Entropy.FirstAnswerToken.Mean:F3} (first answer token)");

        var position = PositionProbe.Applies(vision.Features) && PositionProbe.Applies(vision.Embeddings)
            ? new PositionReport(PositionProbe.Measure(vision.Features), PositionProbe.Measure(vision.Embeddings))
            : null;
        if (position is not null)
            progress?.Report($"{artifact.Manifest.Variant}: position probe R² (row, column): encoder {position.EncoderFeatures.RowR2:F2}, {position.EncoderFeatures.ColumnR2:F2}; into the LM {position.ImageTokens.RowR2:F2}, {position.ImageTokens.ColumnR2:F2}");

        var imageStats = NormStatistics.Compute(vision.ImageTokenNorms);
        var textStats = NormStatistics.Compute(text);
        var norms = new NormReport(
            NormStatistics.Compute(vision.ProjectorNorms),
            vision.AdapterNorms is { } a ? NormStatistics.Compute(a) : null,
            imageStats, textStats, NormStatistics.MeanRatio(imageStats, textStats));
        var evaluation = new VariantEvaluation(
            artifact.Manifest.Variant, artifact.Manifest.Name, artifact.Manifest.Opset, artifact.ExecutionProvider, artifact.FallbackReason, m,
            accuracy, set.Chance(), permutation, norms, attention.Entropy, attention.Maps,
            new EvalTiming(visionSeconds, answerSeconds, set.Questions.Count / answerSeconds, total.Elapsed.TotalSeconds, Process.GetCurrentProcess().PeakWorkingSet64),
            position, semantic);
        return new Result(evaluation, predictions, new NormSamples(vision.ProjectorNorms, vision.AdapterNorms, vision.ImageTokenNorms, text));
    }

    /// <summary>Table 1 on one question set: its accuracy with the vision tokens shuffled, per permutation seed; null without seeds.</summary>
    static PermutationSummary? Permuted(ModelArtifact artifact, TestSet set, HostTensor embeddings, EvalOptions o, AccuracyResult unpermuted,
        IReadOnlyList<string> categories, string label, IProgress<string>? progress)
    {
        var permuted = new List<(int Seed, AccuracyResult Result)>();
        int m = (int)embeddings.Shape[1];
        foreach (int seed in o.PermutationSeeds)
        {
            var fixedPerm = TokenPermutation.Create(m, seed);
            Func<int, int[]> permutationOf = o.Permutation == PermutationMode.Fixed ? _ => fixedPerm : i => TokenPermutation.ForQuestion(m, seed, i);
            var shuffled = Answer(artifact, set, embeddings, o, permutationOf);
            permuted.Add((seed, AccuracyTable.Score(Scored(set, shuffled), categories)));
            progress?.Report($"{artifact.Manifest.Variant}: {label}, permutation seed {seed}: {permuted[^1].Result.Overall.Accuracy:P1}");
        }
        return permuted.Count > 0 ? PermutationTest.Summarize(unpermuted, permuted) with { Mode = o.Permutation } : null;
    }

    /// <summary>Greedy answers to every question, optionally with its vision tokens shuffled after the adapter by <paramref name="permutationOf"/>(question index).</summary>
    static string[] Answer(ModelArtifact artifact, TestSet set, HostTensor embeddings, EvalOptions o, Func<int, int[]>? permutationOf) =>
        GreedyAnswers.Run(artifact, embeddings, set.QuestionRows, set.Prompts, o.BatchSize, o.MaxAnswerTokens, permutationOf).Texts;

    /// <summary>The language model's whole token-embedding table, read through the graph's text_embeddings output.</summary>
    static HostTensor TextEmbeddingTable(ModelArtifact artifact)
    {
        int v = artifact.Tokenizer.VocabSize;
        var ids = Enumerable.Range(0, v).Select(i => (long)i).ToArray();  // holds the image placeholder exactly once
        var image = HostTensor.Float([1, artifact.Manifest.Adapters.NumImageTokens, WidthOf(artifact)], new float[artifact.Manifest.Adapters.NumImageTokens * WidthOf(artifact)]);
        return artifact.RunLanguage(image, [ids], TextEmbeddings)[TextEmbeddings];
    }

    static int WidthOf(ModelArtifact artifact) => (int)artifact.Manifest.Graph(LanguageGraph).Inputs[0].Shape[2].Size!.Value;

    static IEnumerable<ScoredQuestion> Scored(TestSet set, string[] answers) =>
        set.Questions.Select((q, i) => new ScoredQuestion(q.Category, q.NumObjects, q.Answer, answers[i]));

    static IReadOnlyList<PredictionRecord> Predictions(TestSet set, string[] answers) =>
        set.Questions.Select((q, i) =>
        {
            var scored = new ScoredQuestion(q.Category, q.NumObjects, q.Answer, answers[i]);
            return new PredictionRecord(q.Id, q.Category, q.NumObjects, q.Answer, answers[i], scored.Correct);
        }).ToArray();
}

/// <summary>The raw norms behind Fig. 3's histogram.</summary>
public sealed record NormSamples(double[] Projector, double[]? Adapter, double[] ImageTokens, double[] Text);
