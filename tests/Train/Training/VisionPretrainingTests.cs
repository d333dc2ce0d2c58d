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
}
