using Pipeline.Data;
using Pipeline.Eval;
using Pipeline.Eval.Study;
using Pipeline.Runtime;
using static TorchSharp.torch;

namespace Pipeline.Tests.Eval.Study;

/// <summary>The study on real (tiny) artifacts: scores, norms, entropy and the permutation test checked against direct computations.</summary>
public sealed class ArtifactEvaluatorTests
{
    static readonly SessionSettings Cpu = new(2);

    static ArtifactEvaluator.Result Evaluate(string artifact, params int[] seeds) =>
        ArtifactEvaluator.Run(new EvalOptions(artifact, TinyStudy.TestData, Cpu, BatchSize: 32, Seeds: seeds));

    [Test]
    public void AccuracyIsTheExactMatchRateOfThePredictions()
    {
        var result = Evaluate(TinyStudy.Artifact("norm"), 1);
        var data = Dataset.Load(TinyStudy.TestData);
        Assert.That(result.Predictions.Select(p => p.Id), Is.EqualTo(data.Questions.Select(q => q.Id)));
        foreach (var (p, q) in result.Predictions.Zip(data.Questions))
            Assert.That(p.Correct, Is.EqualTo(Words.Normalize(p.Predicted) == Words.Normalize(q.Answer)));
        var accuracy = result.Evaluation.Accuracy;
        Assert.That(accuracy.Overall.Total, Is.EqualTo(data.Questions.Count));
        Assert.That(accuracy.Overall.Correct, Is.EqualTo(result.Predictions.Count(p => p.Correct)));
        foreach (var category in Categories.All)
            Assert.That(accuracy.PerCategory[category].Correct, Is.EqualTo(result.Predictions.Count(p => p.Category == category && p.Correct)));
    }

    [Test]
    public void AnswersEqualModelArtifactAnswers()
    {
        var result = Evaluate(TinyStudy.Artifact("baseline"));
        var data = Dataset.Load(TinyStudy.TestData);
        using var artifact = ModelArtifact.Open(TinyStudy.Artifact("baseline"), Cpu);
        var first = data.Questions.Take(12).ToArray();
        var pixels = artifact.Preprocessor.Load(first.Select(q => data.ImagePath(q.Image)).ToArray());
        var direct = artifact.Answer(pixels, first.Select(q => q.Text).ToArray(), maxNewTokens: 3);
        Assert.That(result.Predictions.Take(12).Select(p => p.Predicted), Is.EqualTo(direct));
    }

    [Test]
    public void TextNormsMatchTheCheckpointsEmbeddingTable()
    {
        var norms = Evaluate(TinyStudy.Artifact("norm-multilayer")).Norms;
        using var checkpoint = Pipeline.Train.Training.Checkpoint.Load(TinyStudy.Checkpoint("norm-multilayer"));
        using var direct = checkpoint.Model.LanguageModel.EmbeddingWeight.detach().norm(1);
        var expected = direct.data<float>().ToArray().Select(x => (double)x).ToArray();
        Assert.That(norms.Text, Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void NormAdapterTokensHaveTheTargetNormWhereTheyAreNotClipped()
    {
        var result = Evaluate(TinyStudy.Artifact("norm"));
        var manifest = ArtifactFiles.ReadManifest(TinyStudy.Artifact("norm"));
        double ceiling = manifest.Adapters.TargetMean!.Value * manifest.Adapters.MaxNorm!.Value;
        Assert.That(result.Norms.Adapter, Is.Not.Null);
        Assert.That(result.Norms.Adapter!.Max(), Is.LessThanOrEqualTo(ceiling * (1 + 1e-5)));
        Assert.That(result.Evaluation.Norms.Ratio, Is.EqualTo(result.Evaluation.Norms.ImageTokens.Mean / result.Evaluation.Norms.Text.Mean).Within(1e-12));
    }

    [Test]
    public void PermutingIdenticalVisionTokensChangesNothingAndAttentionOverThemIsUniform()
    {
        var result = Evaluate(TinyStudy.InvariantArtifact, 1, 2, 3);
        var p = result.Evaluation.Permutation!;
        Assert.That(p.Seeds, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(p.Overall.Delta.Mean, Is.Zero);
        Assert.That(p.Overall.Delta.Max - p.Overall.Delta.Min, Is.Zero);
        foreach (var category in p.PerCategory.Values) Assert.That(category.Delta.Mean, Is.Zero);
        // Identical tokens differ only by their RoPE rotation, so the attention over them is all but uniform.
        Assert.That(result.Evaluation.Entropy.FirstAnswerToken.Mean, Is.EqualTo(1.0).Within(1e-3));
        Assert.That(result.Evaluation.Entropy.AllText.Min, Is.EqualTo(1.0).Within(1e-3));
        Assert.That(result.Norms.ImageTokens.Max() - result.Norms.ImageTokens.Min(), Is.LessThan(1e-5));
        // Identical tokens say nothing of where they are: the probe predicts the mean.
        Assert.That(result.Evaluation.Position!.ImageTokens.RowR2, Is.EqualTo(0).Within(1e-9));
        Assert.That(result.Evaluation.Position.ImageTokens.ColumnR2, Is.EqualTo(0).Within(1e-9));
        Assert.That(result.Evaluation.Position.ImageTokens.Grid * result.Evaluation.Position.ImageTokens.Grid, Is.EqualTo(result.Evaluation.NumImageTokens));
    }

    [Test]
    public void AttentionMapsAreDistributionsOverTheImageGrid()
    {
        var result = Evaluate(TinyStudy.Artifact("baseline"), 1);
        Assert.That(result.Evaluation.Maps, Is.Not.Empty);
        foreach (var map in result.Evaluation.Maps)
        {
            Assert.That(map.Weights, Has.Length.EqualTo(map.Grid * map.Grid));
            Assert.That(map.Weights.Sum(), Is.EqualTo(1.0).Within(1e-4));
            Assert.That(map.Entropy, Is.InRange(0.0, 1.0 + 1e-9));
        }
    }
}
