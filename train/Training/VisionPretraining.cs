using Pipeline.Data;
using Pipeline.Train.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>Result of stage 0a: where the encoder's weights are and how well it learned semantics.</summary>
public sealed record VisionPretrainResult(string EncoderPath, double LabelAccuracy, double ColorAccuracy, double ShapeAccuracy, double BaseRate, double SamplesPerS);

/// <summary>Presence accuracy over all 12 labels, the 6 colour labels and the 6 shape labels.</summary>
public sealed record PresenceAccuracy(double All, double Colors, double Shapes, double BaseRate);

/// <summary>Stage 0a: pretrain the ViT on colour and shape presence (semantics only).</summary>
public static class VisionPretraining
{
    public const string Stage = "0a-vision", EncoderFile = "encoder.dat";

    public static VisionPretrainResult Run(RunContext ctx, int? stopAfter = null)
    {
        var p = ctx.Preset;
        string dir = ctx.StageDir(Stage);
        torch.manual_seed((long)p.Seed);
        using var model = new PresenceClassifier(p.Vision);
        model.to(ctx.Device);
        var targets = Targets(ctx.Train);
        var sampler = new BatchSampler(ctx.Train.Scenes.Count, p.Vision0a.BatchSize, p.Seed, Stage);
        var job = new StageJob(Stage, dir, model, model.parameters().ToArray(), p.Vision0a,
            step =>
            {
                var idx = sampler.Indices(step);
                var logits = model.call(ctx.TrainPixels.Batch(idx).to(ctx.Device));
                using var index = tensor(idx);
                return nn.functional.binary_cross_entropy_with_logits(logits, targets.index_select(0, index).to(ctx.Device));
            },
            p.CheckpointEvery,
            tmp => model.Encoder.save(Path.Combine(tmp, EncoderFile)));
        var state = StageRunner.Run(job, ctx.Observer, stopAfter);
        var a = Evaluate(model, ctx.ValPixels, Targets(ctx.Val), ctx.Device);
        ctx.Observer.Info($"{Stage}: presence accuracy on val {a.All:P1} (colours {a.Colors:P1}, shapes {a.Shapes:P1}; always-majority base rate {a.BaseRate:P1})");
        if (a.All < a.BaseRate + 0.05)
            ctx.Observer.Info($"warning: {Stage} barely beats its base rate: the encoder has not learned colours and shapes; every later stage depends on it (raise the preset's 0a steps)");
        return new VisionPretrainResult(Path.Combine(StageRunner.CheckpointDir(dir), EncoderFile), a.All, a.Colors, a.Shapes, a.BaseRate, state.SamplesPerS);
    }

    static Tensor Targets(Dataset data)
    {
        var rows = data.Scenes.SelectMany(PresenceClassifier.Target).ToArray();
        return tensor(rows, [data.Scenes.Count, PresenceClassifier.Labels]);
    }

    /// <summary>Per-label accuracy at logit 0, and what always answering each label's majority would score.</summary>
    public static PresenceAccuracy Evaluate(PresenceClassifier model, PixelStore pixels, Tensor targets, Device device)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        long n = pixels.Count;
        var correct = zeros(PresenceClassifier.Labels, dtype: int64);
        for (long start = 0; start < n; start += 128)
        {
            var idx = Enumerable.Range((int)start, (int)Math.Min(128, n - start)).Select(i => (long)i).ToArray();
            var predicted = model.call(pixels.Batch(idx).to(device)).gt(0).cpu();
            var truth = targets.index_select(0, tensor(idx)).gt(0.5);
            correct += predicted.eq(truth).sum(dim: 0);                  // (12); a bare sum(0) binds to sum(ScalarType)
        }
        var perLabel = correct.to_type(ScalarType.Float64) / n;
        int colors = Vocabulary.Colors.Length;
        var positive = targets.mean([0]);                                  // (12) share of images with the label
        double baseRate = torch.maximum(positive, 1 - positive).mean().item<float>();
        return new PresenceAccuracy(perLabel.mean().item<double>(), perLabel.narrow(0, 0, colors).mean().item<double>(),
            perLabel.narrow(0, colors, PresenceClassifier.Labels - colors).mean().item<double>(), baseRate);
    }
}
