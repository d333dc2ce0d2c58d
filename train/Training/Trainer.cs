using Pipeline.Train.Foundations;
using Pipeline.Train.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>Where a run may stop early: after stage 0a, after 0b, or at the end.</summary>
public enum TrainUntil { VisionPretraining, TextPretraining, All }

/// <summary>How to train: which preset, variants, norm constants, device; with foundations, 0a and 0b are theirs instead of trained.</summary>
public sealed record TrainOptions(
    Preset Preset,
    string RunDir,
    IReadOnlyList<Variant> Variants,
    bool PaperNormConstants = false,
    int? PoolTokens = null,
    string Device = "cpu",
    int? Threads = null,
    TrainUntil Until = TrainUntil.All,
    FoundationSet? Foundations = null,
    NormRule NormRule = NormRule.MatchText);

/// <summary>How the norm adapter's constants are applied: the authors' formula as it is, or scaled so vision tokens land at the text mean.</summary>
public enum NormRule { Authors, MatchText }

/// <summary>Everything a training run measured; <see cref="Foundations"/> names the foundation models 0a and 0b came from, if any.</summary>
public sealed record TrainSummary(
    string Preset,
    VisionPretrainResult Vision,
    TextPretrainResult? Text,
    NormConstants? NormConstants,
    string NormConstantsSource,
    IReadOnlyList<EvalResult> Variants,
    IReadOnlyDictionary<string, double> SamplesPerS,
    string? Foundations = null);

/// <summary>The recipe end to end: 0a and 0b once, then stages 1–2 and the test score per variant.</summary>
public static class Trainer
{
    public const string SummaryFile = "training.json";

    /// <summary>The summary a run's training wrote (stages/training.json), or null where it has none yet.</summary>
    public static TrainSummary? ReadSummary(string runDir)
    {
        string path = RunLayout.At(runDir).Stage(SummaryFile);
        return File.Exists(path) ? System.Text.Json.JsonSerializer.Deserialize<TrainSummary>(File.ReadAllText(path), Json.Indented) : null;
    }

    public static TrainSummary Run(TrainOptions o, ITrainingObserver observer, int? stopAfter = null)
    {
        var device = ResolveDevice(o.Device);
        torch.set_num_threads(o.Threads ?? o.Preset.Threads);
        using var ctx = new RunContext(o.Preset, o.RunDir, device, observer);
        RefuseToExtendUnderTrainedStages(ctx);
        if (o.Foundations is { } f)
        {
            f.CheckFits(o.Preset, ctx.Vocab);
            observer.Info($"0a and 0b: the foundation models in {Path.GetDirectoryName(f.Vision.Dir)} (encoder {f.Vision.Id[..12]}, language model {f.Language.Id[..12]})");
        }
        var vision = o.Foundations?.VisionResult() ?? VisionPretraining.Run(ctx, stopAfter);
        if (o.Until == TrainUntil.VisionPretraining) return Finish(ctx, new TrainSummary(o.Preset.Name, vision, null, null, "", [], Rates(vision, null)), o.Foundations);
        var text = o.Foundations?.TextResult() ?? TextPretraining.Run(ctx, stopAfter);
        var norm = o.PaperNormConstants ? NormConstants.Paper : text.Measured;
        string source = o.PaperNormConstants ? "paper (Vicuna-7B: mean 0.83, max 1.22)" : "measured from the trained language model's embedding table";
        observer.Info($"norm constants: mean {norm.TargetMean:F3}, max {norm.MaxNorm:F3} ({source})");
        if (o.NormRule == NormRule.MatchText)
        {
            norm = norm.MatchingTextMean();
            source += $"; norm rule match: adapter scale {norm.TargetMean:F3}, clip {norm.MaxNorm:F3}, so vision tokens land at the text mean";
            observer.Info($"norm rule match: adapter scale {norm.TargetMean:F3}, clip {norm.MaxNorm:F3}");
        }

        if (o.Until == TrainUntil.TextPretraining) return Finish(ctx, new TrainSummary(o.Preset.Name, vision, text, norm, source, [], Rates(vision, text)), o.Foundations);
        var throughput = Rates(vision, text);
        var results = new List<EvalResult>();
        var caches = new Dictionary<bool, (FeatureCache Train, FeatureCache Test, FeatureCache? Val)>();
        try
        {
            foreach (var variant in o.Variants)
            {
                using var model = VariantTraining.Build(ctx, variant, norm, o.PoolTokens, vision.EncoderPath, text.LanguageModelPath);
                bool multi = variant.UsesMultilayer();
                if (!caches.TryGetValue(multi, out var cache))
                {
                    observer.Info($"caching encoder features ({(multi ? "multilayer taps " + string.Join(",", o.Preset.Vision.TapLayers) : "layer " + o.Preset.Vision.FeatureLayer)})");
                    cache = caches[multi] = (FeatureCache.Build(model, ctx.TrainPixels, device), FeatureCache.Build(model, ctx.TestPixels, device),
                        o.Preset.Qa2.Patience is null ? null : FeatureCache.Build(model, ctx.ValPixels, device));
                }
                var result = VariantTraining.Run(ctx, model, new VariantTraining.Inputs(vision.EncoderPath, text.LanguageModelPath, norm, cache.Train, cache.Test, cache.Val), stopAfter);
                results.Add(result);
                string dir = VariantTraining.VariantDir(ctx, variant, o.PoolTokens);
                foreach (var stage in new[] { VariantTraining.AlignStage, VariantTraining.QaStage })
                    throughput[$"{result.Variant}/{stage}"] = StageRunner.ReadState(Path.Combine(dir, stage))?.SamplesPerS ?? 0;
                observer.Info($"{result.Variant}: 2DS-test {result.Overall:P1} overall; vision/text norm ratio {result.NormRatio:F1}");
            }
        }
        finally
        {
            foreach (var (train, test, val) in caches.Values)
            {
                train.Dispose();
                test.Dispose();
                val?.Dispose();
            }
        }
        return Finish(ctx, new TrainSummary(o.Preset.Name, vision, text, norm, source, results, throughput), o.Foundations);
    }

    /// <summary>
    /// A finished stage given more steps is extended (StageRunner); the stages trained on it would
    /// then be loaded as if they matched, so the run stops before anything trains: 0a or 0b under
    /// any variant, a variant's stage 1 under its stage 2.
    /// </summary>
    static void RefuseToExtendUnderTrainedStages(RunContext ctx)
    {
        static bool Extends(string stageDir, StageBudget budget) => StageRunner.ReadState(stageDir)?.ExtendsTo(budget) == true;
        string stages = ctx.Layout.Stages;
        string[] pretraining = [VisionPretraining.Stage, TextPretraining.Stage];
        var variants = Directory.Exists(stages) ? Directory.GetDirectories(stages).Where(d => !pretraining.Contains(Path.GetFileName(d))).ToArray() : [];
        var extended = new[] { (Stage: VisionPretraining.Stage, Budget: ctx.Preset.Vision0a), (Stage: TextPretraining.Stage, Budget: ctx.Preset.Text0b) }
            .Where(x => Extends(ctx.StageDir(x.Stage), x.Budget)).Select(x => x.Stage).ToArray();
        if (extended.Length > 0 && variants.Length > 0)
            throw Refusal(string.Join(" and ", extended), string.Join(", ", variants.Select(Path.GetFileName)), stages);
        foreach (string variant in variants)
            if (Extends(Path.Combine(variant, VariantTraining.AlignStage), ctx.Preset.Align1) && Directory.Exists(Path.Combine(variant, VariantTraining.QaStage)))
                throw Refusal($"{Path.GetFileName(variant)}/{VariantTraining.AlignStage}", $"{Path.GetFileName(variant)}/{VariantTraining.QaStage}", stages);
    }

    static IOException Refusal(string extended, string trainedOnIt, string stages) =>
        new($"{extended} would be extended to more steps, but {trainedOnIt} in {stages} were trained on the shorter one: move them away first, or extend a copy of the run folder");

    static TrainSummary Finish(RunContext ctx, TrainSummary summary, FoundationSet? foundations)
    {
        if (foundations is not null) summary = summary with { Foundations = $"{Path.GetDirectoryName(foundations.Vision.Dir)} ({foundations.Id})" };
        CheckpointFiles.WriteJson(ctx.Layout.Stage(SummaryFile), summary);
        return summary;
    }

    static SortedDictionary<string, double> Rates(VisionPretrainResult vision, TextPretrainResult? text)
    {
        var rates = new SortedDictionary<string, double>(StringComparer.Ordinal) { [VisionPretraining.Stage] = vision.SamplesPerS };
        if (text is not null) rates[TextPretraining.Stage] = text.SamplesPerS;
        return rates;
    }

    /// <summary>cpu, or cuda where this build of TorchSharp and the machine have it; otherwise a one-line fix.</summary>
    public static Device ResolveDevice(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" when torch.cuda.is_available() => CUDA,
        "cuda" => throw new NotSupportedException(
            "--device cuda: CUDA is not available (this build's libtorch is CPU-only, or no GPU is present); use --device cpu, or on a machine with a GPU build with -p:TorchBackend=system and put a CUDA PyTorch's torch/lib on LD_LIBRARY_PATH (README, Training)"),
        _ => throw new ArgumentException($"unknown device '{name}': use cpu or cuda"),
    };
}
