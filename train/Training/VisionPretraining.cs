using Pipeline.Data;
using Pipeline.Train.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>Result of stage 0a: where the encoder's weights are and how well it learned semantics.</summary>
/// <param name="PatchShapeAccuracy">Shape accuracy of the patch head on patches that belong to an object (null in runs from before the head).</param>
/// <param name="PatchColorAccuracy">Colour accuracy of the patch head on those patches (null in runs from before it was measured).</param>
public sealed record VisionPretrainResult(string EncoderPath, double LabelAccuracy, double ColorAccuracy, double ShapeAccuracy, double BaseRate, double SamplesPerS,
    double? PatchShapeAccuracy = null, double? PatchColorAccuracy = null);

/// <summary>Presence accuracy over all 12 labels, the 6 colour labels and the 6 shape labels; the patch head's shape and colour accuracy on object patches.</summary>
public sealed record PresenceAccuracy(double All, double Colors, double Shapes, double BaseRate, double PatchShapes, double PatchColors);

/// <summary>Stage 0a's targets for a split: presence (N, 12), patch shapes and colours (N, P).</summary>
public sealed record VisionTargets(Tensor Presence, Tensor PatchShapes, Tensor PatchColors) : IDisposable
{
    public static VisionTargets Of(Dataset data, VisionConfig vision)
    {
        var rows = data.Scenes.SelectMany(PresenceClassifier.Target).ToArray();
        var (shapes, colors) = PatchLabels.Targets(data.Scenes, vision);
        return new VisionTargets(tensor(rows, [data.Scenes.Count, PresenceClassifier.Labels]), shapes, colors);
    }

    public void Dispose()
    {
        Presence.Dispose();
        PatchShapes.Dispose();
        PatchColors.Dispose();
    }
}

/// <summary>Stage 0a: pretrain the ViT on what the image holds (semantics only): presence, and each patch's object.</summary>
public static class VisionPretraining
{
    public const string Stage = "0a-vision", EncoderFile = "encoder.dat";

    /// <summary>What 0a learns, recorded with the pipeline's pretrain stage so that a run from another objective retrains.</summary>
    public const string Objective = "presence (max-pooled) + patch shape and colour, both on the final layer";

    public static VisionPretrainResult Run(RunContext ctx, int? stopAfter = null)
    {
        var p = ctx.Preset;
        string dir = ctx.StageDir(Stage);
        torch.manual_seed((long)p.Seed);
        using var model = new PresenceClassifier(p.Vision);
        model.to(ctx.Device);
        using var targets = VisionTargets.Of(ctx.Train, p.Vision);
        var sampler = new BatchSampler(ctx.Train.Scenes.Count, p.Vision0a.BatchSize, p.Seed, Stage);
        var job = new StageJob(Stage, dir, model, model.parameters().ToArray(), p.Vision0a,
            step =>
            {
                var idx = sampler.Indices(step);
                using var index = tensor(idx);
                return Loss(model.Heads(ctx.TrainPixels.Batch(idx).to(ctx.Device)), targets.Presence.index_select(0, index).to(ctx.Device),
                    targets.PatchShapes.index_select(0, index).to(ctx.Device), targets.PatchColors.index_select(0, index).to(ctx.Device));
            },
            p.CheckpointEvery,
            tmp => model.Encoder.save(Path.Combine(tmp, EncoderFile)));
        var state = StageRunner.Run(job, ctx.Observer, stopAfter);
        using var valTargets = VisionTargets.Of(ctx.Val, p.Vision);
        var a = Evaluate(model, ctx.ValPixels, valTargets, ctx.Device);
        ctx.Observer.Info($"{Stage}: presence accuracy on val {a.All:P1} (colours {a.Colors:P1}, shapes {a.Shapes:P1}; always-majority base rate {a.BaseRate:P1}); patch head on object patches: shapes {a.PatchShapes:P1}, colours {a.PatchColors:P1}");
        if (a.All < a.BaseRate + 0.05)
            ctx.Observer.Info($"warning: {Stage} barely beats its base rate: the encoder has not learned colours and shapes; every later stage depends on it (raise the preset's 0a steps)");
        return new VisionPretrainResult(Path.Combine(StageRunner.CheckpointDir(dir), EncoderFile), a.All, a.Colors, a.Shapes, a.BaseRate, state.SamplesPerS, a.PatchShapes, a.PatchColors);
    }

    /// <summary>
    /// 0a's loss: presence BCE plus the patch cross-entropies, weighted alike (summed in this order
    /// so that the weights stay bit-identical to earlier runs): at a smaller weight on the patch
    /// terms the shapes were not learned.
    /// </summary>
    /// <param name="presence">(B, 12) multi-hot targets.</param>
    /// <param name="shapes">(B, N) patch shape classes.</param>
    /// <param name="colors">(B, N) patch colour classes.</param>
    public static Tensor Loss((Tensor Presence, Tensor PatchShapes, Tensor PatchColors) heads, Tensor presence, Tensor shapes, Tensor colors) =>
        nn.functional.binary_cross_entropy_with_logits(heads.Presence, presence)
            .Plus(nn.functional.cross_entropy(heads.PatchShapes.flatten(0, 1), shapes.flatten())
                .Plus(nn.functional.cross_entropy(heads.PatchColors.flatten(0, 1), colors.flatten())));

    /// <summary>Per-label accuracy at logit 0, and what always answering each label's majority would score.</summary>
    public static PresenceAccuracy Evaluate(PresenceClassifier model, PixelStore pixels, VisionTargets targets, Device device)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        long n = pixels.Count;
        var correct = zeros(PresenceClassifier.Labels, dtype: int64);
        long shapeHits = 0, colorHits = 0, objectPatches = 0;
        for (long start = 0; start < n; start += 128)
        {
            var idx = Enumerable.Range((int)start, (int)Math.Min(128, n - start)).Select(i => (long)i).ToArray();
            var (presence, shapes, patchColors) = model.Heads(pixels.Batch(idx).to(device));
            var index = tensor(idx);
            var truth = targets.Presence.index_select(0, index).Gt(0.5);
            correct = correct.Plus(presence.Gt(0.0).cpu().eq(truth).sum(dim: 0));  // (12); a bare sum(0) binds to sum(ScalarType)
            var shapeTruth = targets.PatchShapes.index_select(0, index);  // (B, N)
            var onObject = shapeTruth.Ne(PatchLabels.Background);
            shapeHits += shapes.argmax(-1).cpu().eq(shapeTruth).logical_and(onObject).sum().item<long>();
            colorHits += patchColors.argmax(-1).cpu().eq(targets.PatchColors.index_select(0, index)).logical_and(onObject).sum().item<long>();
            objectPatches += onObject.sum().item<long>();
        }
        var perLabel = correct.to_type(ScalarType.Float64).DividedBy(n);
        int colors = Vocabulary.Colors.Length;
        var positive = targets.Presence.mean([0]);                                 // (12) share of images with the label
        double baseRate = torch.maximum(positive, positive.SubtractedFrom(1.0)).mean().item<float>();
        return new PresenceAccuracy(perLabel.mean().item<double>(), perLabel.narrow(0, 0, colors).mean().item<double>(),
            perLabel.narrow(0, colors, PresenceClassifier.Labels - colors).mean().item<double>(), baseRate,
            Share(shapeHits, objectPatches), Share(colorHits, objectPatches));
    }

    static double Share(long hits, long total) => total == 0 ? 0 : hits / (double)total;
}
