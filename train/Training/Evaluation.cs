using System.Diagnostics;
using Pipeline.Data;
using Pipeline.Train.Model;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>Scores a VLM on 2DS-test: greedy decoding, graded by <see cref="Scoring"/>.</summary>
public static class Evaluation
{
    const int BatchSize = 64, MaxAnswerTokens = 3;

    public static (EvalResult Result, IReadOnlyList<Prediction> Predictions) Run(
        VisionLanguageModel model, RunContext ctx, Dataset data, FeatureCache features, string variant)
    {
        using var noGrad = no_grad();
        model.eval();
        var imageIndex = data.Scenes.Select((s, i) => (s.Image, i)).ToDictionary(p => p.Image, p => (long)p.i);
        var predictions = new List<Prediction>(data.Questions.Count);
        var clock = Stopwatch.StartNew();
        double visionNormSum = 0;
        long visionTokens = 0;
        foreach (var chunk in data.Questions.Chunk(BatchSize))
        {
            using var scope = NewDisposeScope();
            var images = model.ProjectFeatures(features.Batch(chunk.Select(q => imageIndex[q.Image]).ToArray(), ctx.Device));  // (B, M, Dl)
            visionNormSum += images.norm(-1).sum().item<float>();
            visionTokens += images.shape[0] * images.shape[1];
            var (ids, mask) = TokenBatch.Prompts(chunk.Select(q => ctx.Prompts.ImageQuestion(q.Text)).ToArray(), ctx.Vocab.PadId);
            var generated = model.GenerateGreedy(images, ids.to(ctx.Device), MaxAnswerTokens, ctx.Vocab.EosId, mask.to(ctx.Device));
            foreach (var (q, g) in chunk.Zip(generated))
            {
                string predicted = ctx.Vocab.Decode(g);
                predictions.Add(new Prediction(q.Id, q.Category, q.NumObjects, q.Answer, predicted, Scoring.IsCorrect(predicted, q.Answer)));
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        using var textNorms = model.LanguageModel.EmbeddingWeight.norm(1);
        var result = new EvalResult(
            variant, predictions.Count, Accuracy(predictions),
            Grouped(predictions, p => p.Category),
            Grouped(predictions, p => p.NumObjects.ToString()),
            Scoring.Chance(data.Questions),
            visionNormSum / Math.Max(1, visionTokens),
            textNorms.mean().item<float>(),
            predictions.Count / seconds);
        return (result, predictions);
    }

    static double Accuracy(IEnumerable<Prediction> p) => p.Select(x => x.Correct ? 1.0 : 0.0).DefaultIfEmpty(0).Average();

    static IReadOnlyDictionary<string, double> Grouped(IEnumerable<Prediction> p, Func<Prediction, string> key) =>
        new SortedDictionary<string, double>(p.GroupBy(key).ToDictionary(g => g.Key, g => Accuracy(g)), StringComparer.Ordinal);
}
