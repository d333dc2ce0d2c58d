using Pipeline.Train.Model;
using Pipeline.Train.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train.Training;

[TestFixture]
public class VisionPretrainingTests
{
    [Test]
    public void PresenceAccuracyIsCountedPerLabelGroup()
    {
        using var ctx = TinyRun.Context(TinyRun.NewRunDir());
        manual_seed(4);
        using var model = new PresenceClassifier(ctx.Preset.Vision);
        var scenes = ctx.Val.Scenes;
        using var all = VisionTargets.Of(ctx.Val, ctx.Preset.Vision);
        var targets = all.Presence;
        var a = VisionPretraining.Evaluate(model, ctx.ValPixels, all, CPU);

        // The same figures counted by hand, label by label.
        using var noGrad = no_grad();
        using var logits = model.call(ctx.ValPixels.Batch(Enumerable.Range(0, scenes.Count).Select(i => (long)i).ToArray()));
        var predicted = logits.data<float>().ToArray();
        var truth = targets.data<float>().ToArray();
        var perLabel = Enumerable.Range(0, PresenceClassifier.Labels)
            .Select(l => Enumerable.Range(0, scenes.Count).Count(i => (predicted[i * PresenceClassifier.Labels + l] > 0) == (truth[i * PresenceClassifier.Labels + l] > 0.5)) / (double)scenes.Count)
            .ToArray();
        Assert.That(a.Colors, Is.EqualTo(perLabel.Take(6).Average()).Within(1e-9));
        Assert.That(a.Shapes, Is.EqualTo(perLabel.Skip(6).Average()).Within(1e-9));
        Assert.That(a.All, Is.EqualTo(perLabel.Average()).Within(1e-9));
    }

    [Test]
    public void PatchAccuracyCountsObjectPatchesOnly()
    {
        using var ctx = TinyRun.Context(TinyRun.NewRunDir());
        manual_seed(5);
        using var model = new PresenceClassifier(ctx.Preset.Vision);
        using var targets = VisionTargets.Of(ctx.Val, ctx.Preset.Vision);
        var a = VisionPretraining.Evaluate(model, ctx.ValPixels, targets, CPU);

        using var noGrad = no_grad();
        var (_, shapes, colors) = model.Heads(ctx.ValPixels.Batch(Enumerable.Range(0, ctx.Val.Scenes.Count).Select(i => (long)i).ToArray()));
        var shapeTruth = targets.PatchShapes.data<long>().ToArray();
        var colorTruth = targets.PatchColors.data<long>().ToArray();
        var shapeGuess = shapes.argmax(-1).data<long>().ToArray();
        var colorGuess = colors.argmax(-1).data<long>().ToArray();
        var onObject = Enumerable.Range(0, shapeTruth.Length).Where(i => shapeTruth[i] != PatchLabels.Background).ToArray();
        Assert.That(onObject, Is.Not.Empty);
        Assert.That(a.PatchShapes, Is.EqualTo(onObject.Count(i => shapeGuess[i] == shapeTruth[i]) / (double)onObject.Length).Within(1e-12));
        Assert.That(a.PatchColors, Is.EqualTo(onObject.Count(i => colorGuess[i] == colorTruth[i]) / (double)onObject.Length).Within(1e-12));
    }
}
