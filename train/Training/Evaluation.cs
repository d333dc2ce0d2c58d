using Pipeline.Data;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>Scores a VLM on 2DS-test: greedy answers by <see cref="GreedyAnswers"/>, graded by <see cref="Scoring"/>.</summary>
public static class Evaluation
{
    const int ImageChunk = 64;

    public static (EvalResult Result, IReadOnlyList<Prediction> Predictions) Run(
        VisionLanguageModel model, RunContext ctx, Dataset data, FeatureCache features, string variant)
    {
        var questions = data.Questions.Concat(data.Semantic).ToArray();
        var (all, answers, tokens, rows) = Answer(model, ctx, data, features, questions);
        var predictions = all.Where(p => !Categories.IsSemantic(p.Category)).ToArray();
        var semantic = all.Where(p => Categories.IsSemantic(p.Category)).ToArray();

        using var textNorms = model.LanguageModel.EmbeddingWeight.norm(1);
        var spatial = AccuracyTable.Score(predictions.Select(Scored));
        var control = semantic.Length > 0 ? AccuracyTable.Score(semantic.Select(Scored), Categories.Semantic) : null;
        var result = new EvalResult(
            variant, predictions.Length, spatial.Overall.Accuracy ?? 0,
            Fractions(spatial.PerCategory),
            Fractions(spatial.PerObjectCount.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value)),
            Scoring.Chance(data.Questions),
            MeanTokenNorm(tokens, rows[..predictions.Length]),
            textNorms.mean().item<float>(),
            answers.QuestionsPerSecond,
            control?.Overall.Accuracy,
            control is null ? null : Fractions(control.PerCategory),
            control is null ? null : Scoring.Chance(data.Semantic));
        return (result, all);
    }

    static ScoredQuestion Scored(Prediction p) => new(p.Category, p.NumObjects, p.Answer, p.Predicted);

    /// <summary>A checkpoint records fractions of the cells that have questions, in name order.</summary>
    static IReadOnlyDictionary<string, double> Fractions(IReadOnlyDictionary<string, AccuracyCell> cells) =>
        new SortedDictionary<string, double>(cells.Where(c => c.Value.Accuracy is not null).ToDictionary(c => c.Key, c => c.Value.Accuracy!.Value), StringComparer.Ordinal);

    /// <summary>2DS accuracy on the first <paramref name="limit"/> questions of a split, overall and on the relative ones: stage 2's validation curve.</summary>
    public static (double Overall, double Relative) Accuracy(VisionLanguageModel model, RunContext ctx, Dataset data, FeatureCache features, int limit)
    {
        var (predictions, _, _, _) = Answer(model, ctx, data, features, data.Questions.Take(limit).ToArray());
        var scored = AccuracyTable.Score(predictions.Select(Scored));
        return (scored.Overall.Accuracy ?? 0, scored.Pooled(relative: true));
    }

    static (Prediction[] Predictions, AnswerRun Answers, HostTensor Tokens, int[] Rows) Answer(
        VisionLanguageModel model, RunContext ctx, Dataset data, FeatureCache features, IReadOnlyList<Question> questions)
    {
        // Only the images the questions ask about go through the projector: a validation check asks about a few of them.
        var sceneIndex = data.Scenes.Select((s, i) => (s.Image, i)).ToDictionary(p => p.Image, p => (long)p.i);
        var images = questions.Select(q => q.Image).Distinct().ToArray();
        var row = images.Select((image, i) => (image, i)).ToDictionary(p => p.image, p => p.i);
        var rows = questions.Select(q => row[q.Image]).ToArray();
        var tokens = ImageTokens(model, features, images.Select(i => sceneIndex[i]).ToArray(), ctx.Device);  // (images, M, Dl)
        var prompts = questions.Select(q => ctx.Prompts.ImageQuestion(q.Text)).ToArray();
        var answers = GreedyAnswers.Run(new TorchAnswerer(model, ctx.Vocab, ctx.Device), tokens, rows, prompts);
        var predictions = questions.Select((q, i) =>
            new Prediction(q.Id, q.Category, q.NumObjects, q.Answer, answers.Texts[i], Scoring.IsCorrect(answers.Texts[i], q.Answer))).ToArray();
        return (predictions, answers, tokens, rows);
    }

    /// <summary>The named images' tokens as the language model receives them, from the cached encoder features.</summary>
    static HostTensor ImageTokens(VisionLanguageModel model, FeatureCache features, long[] sceneIndices, Device device)
    {
        using var noGrad = no_grad();
        model.eval();
        var parts = sceneIndices.Chunk(ImageChunk).Select(chunk =>
        {
            using var scope = NewDisposeScope();
            return HostTensors.ToHost(model.ProjectFeatures(features.Batch(chunk, device)));  // (b, M, Dl)
        }).ToArray();
        return HostRows.Concat(parts);
    }

    /// <summary>The mean L2 norm of the image tokens the questions see (each question counts its image's tokens).</summary>
    static double MeanTokenNorm(HostTensor tokens, IReadOnlyList<int> rows)
    {
        long m = tokens.Shape[1], d = tokens.Shape[2];
        var perImage = new double[tokens.Shape[0]];
        var x = tokens.Floats;
        for (long t = 0; t < tokens.Shape[0] * m; t++)
        {
            double sq = 0;
            for (long k = 0; k < d; k++) sq += (double)x[t * d + k] * x[t * d + k];
            perImage[t / m] += Math.Sqrt(sq);
        }
        return rows.Count == 0 ? 0 : rows.Sum(r => perImage[r]) / (rows.Count * m);
    }
}
