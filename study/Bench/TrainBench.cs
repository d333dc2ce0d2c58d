using System.Diagnostics;
using Pipeline.Train.Model;
using Pipeline.Train.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Study.Bench;

/// <summary>
/// Training throughput per stage on random inputs of a preset's sizes: forward + backward + AdamW
/// step, after warm-up, in rounds whose median is reported, the variants timed in both orders, with
/// the load average and any competing process named, so presets can be budgeted from samples/s.
/// Each round is also divided by an sgemm probe taken just before it: the VM's speed drifts over
/// minutes, and the figure per probe speed is what repeats of the bench can be compared by.
/// </summary>
public static class TrainBench
{
    public static void Run(Preset p, int steps, int threads, IProgress<string> progress)
    {
        torch.set_num_threads(threads);
        foreach (string line in MachineLoad.Report()) progress.Report(line);
        progress.Report($"preset {p.Name}: ViT width {p.Vision.Width} depth {p.Vision.Depth} on {p.Vision.ImageSize}px/{p.Vision.PatchSize} ({p.Vision.NumPatches} tokens); LM width {p.LmWidth} depth {p.LmDepth}; {threads} threads");
        int vocab = 300;
        manual_seed(0);
        using (var vision = new PresenceClassifier(p.Vision))
        {
            var b = p.Vision0a.BatchSize;
            Time("0a vision (presence + patches)", b, steps, vision.parameters(), progress, () =>
            {
                long n = p.Vision.NumPatches;
                return VisionPretraining.Loss(vision.Heads(randn(b, 3, p.Vision.ImageSize, p.Vision.ImageSize)),
                    rand(b, PresenceClassifier.Labels).Gt(0.5).to_type(ScalarType.Float32),
                    randint(PatchLabels.ShapeClasses, [b, n]), randint(PatchLabels.ColorClasses, [b, n]));
            });
        }
        using (var lm = new LanguageModel(p.Language(vocab)))
        {
            int b = p.Text0b.BatchSize, t = 60;
            Time("0b text (60 tokens)", b, steps, lm.parameters(), progress, () =>
            {
                var ids = randint(5, vocab, [b, t]);
                var positions = HeldScalars.Arange(t).expand(b, -1);
                var logits = lm.call(lm.EmbedTokens(ids), positions, ones(b, t, dtype: int64), false).Logits;
                return AnswerLoss.Compute(logits, ids);
            });
        }
        // Both orders: the first model timed after a build runs slower, and that must not decide which variant looks faster.
        foreach (var variant in new[] { Variant.Baseline, Variant.NormMultilayer, Variant.NormMultilayer, Variant.Baseline })
        {
            using var vlm = new VisionLanguageModel(p.Model(vocab, variant, NormConstants.Paper));
            int b = p.Qa2.BatchSize, t = 16, m = vlm.Config.NumImageTokens;
            var trainable = vlm.ConnectorParameters().Concat(vlm.LanguageModel.parameters()).ToArray();
            Time($"2 qa {variant.ToCliName()} ({m} image + {t} text tokens, cached features)", b, steps, trainable, progress, () =>
            {
                var features = randn(b, p.Vision.NumPatches, vlm.Config.ProjectorInFeatures);
                var ids = randint(5, vocab, [b, t]);
                ids[TensorIndex.Colon, 1] = vlm.Config.ImageTokenId;
                var output = vlm.call(vlm.ProjectFeatures(features), ids, null, VlmOptions.None);
                var labels = ImageSplice.SpliceLabels(ids, ids, vlm.Config.ImageTokenId, m);
                return AnswerLoss.Compute(output.Logits, labels);
            });
            TimePacked(p, vlm, vocab, trainable, steps, progress);
        }
    }

    /// <summary>Stage 2 as trained: each row one image with its questions packed (12 of 15 tokens, as in small).</summary>
    static void TimePacked(Preset p, VisionLanguageModel vlm, int vocab, TorchSharp.Modules.Parameter[] trainable, int steps, IProgress<string> progress)
    {
        int perImage = 6 * p.QuestionsPerCategory, t = 15;
        int rows = Math.Max(1, (int)Math.Round((double)p.Qa2.BatchSize / perImage)), m = vlm.Config.NumImageTokens;
        Time($"2 qa {vlm.Config.Variant.ToCliName()} packed ({rows} images × {perImage} questions, {m} image + {perImage}×{t - 2} text tokens)", rows * perImage, steps, trainable, progress, () =>
        {
            var packed = Enumerable.Range(0, rows).Select(_ => PackedExample.Pack(Enumerable.Range(0, perImage).Select(_ =>
            {
                long[] ids = [1, vlm.Config.ImageTokenId, .. randint(5, vocab, [t - 2]).data<long>().ToArray()];
                return new Pipeline.Train.Text.Example(ids, ids.Select((_, i) => i >= t - 2).ToArray());
            }).ToArray(), 2)).ToArray();
            using var batch = PackedBatch.From(packed, 0);
            var features = randn(rows, p.Vision.NumPatches, vlm.Config.ProjectorInFeatures);
            var output = vlm.ForwardPacked(vlm.ProjectFeatures(features), batch.Ids, batch.Segments, batch.Positions);
            var labels = ImageSplice.SpliceLabels(batch.Labels, batch.Ids, vlm.Config.ImageTokenId, m);
            return AnswerLoss.Compute(output.Logits, labels);
        });
    }

    static void Time(string label, int batch, int steps, IEnumerable<TorchSharp.Modules.Parameter> parameters, IProgress<string> progress, Func<Tensor> loss)
    {
        var list = parameters.ToArray();
        using var optimizer = new AdamW(list, lr: 1e-4, beta2: 0.999, weightDecay: 0);
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            loss().backward();
            optimizer.step();
        }
        var t = SteadyTiming.Measure(Step, batch, steps, reference: () => MatmulProbe.Gflops(3));
        progress.Report(System.FormattableString.Invariant(
            $"{label}: {t.SamplesPerS:F0} samples/s (median of {t.Rounds.Count} rounds of {steps} steps: {string.Join(" / ", t.Rounds.Select(r => r.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}; batch {batch}, {t.MsPerStep:F0} ms/step, CPU {t.CpuPerWall:F2} cores); {t.PerReference:F0} at a 100 GFLOP/s sgemm"));
    }
}
