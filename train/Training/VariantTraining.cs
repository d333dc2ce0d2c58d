using Pipeline.Data;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>Stages 1 and 2 of one variant, then its 2DS-test score.</summary>
public static class VariantTraining
{
    public const string AlignStage = "1-align", QaStage = "2-qa", EvalFile = "eval.json", PredictionsFile = "predictions.jsonl";

    /// <param name="ValFeatures">The val split's features, for stage 2's plateau check; null when stage 2 runs all its steps.</param>
    public sealed record Inputs(string EncoderPath, string LanguageModelPath, NormConstants Norm, FeatureCache TrainFeatures, FeatureCache TestFeatures, FeatureCache? ValFeatures = null);

    /// <summary>Val questions answered at each stage-2 checkpoint: every category, 50 images.</summary>
    const int ValQuestions = 600;

    /// <summary>What beats the best so far: half a point.</summary>
    const double MinGain = 0.005;

    public static string VariantDir(RunContext ctx, Variant variant, int? pool) =>
        ctx.StageDir(variant.ModelName(pool));

    /// <summary>The VLM of a variant with the pretrained encoder and language model loaded.</summary>
    public static VisionLanguageModel Build(RunContext ctx, Variant variant, NormConstants norm, int? pool, string encoderPath, string lmPath)
    {
        torch.manual_seed((long)ctx.Preset.Seed + 2);
        var model = new VisionLanguageModel(ctx.Preset.Model(ctx.Vocab.Count, variant, norm, pool));
        model.VisionTower.load(encoderPath);
        model.LanguageModel.load(lmPath);
        model.to(ctx.Device);
        return model;
    }

    public static EvalResult Run(RunContext ctx, VisionLanguageModel model, Inputs inputs, int? stopAfter = null)
    {
        var p = ctx.Preset;
        var variant = model.Config.Variant;
        string dir = VariantDir(ctx, variant, model.Config.PoolTokens), name = Path.GetFileName(dir);
        var imageIndex = ctx.Train.Scenes.Select((s, i) => (s.Image, i)).ToDictionary(x => x.Image, x => (long)x.i);

        foreach (string stage in new[] { AlignStage, QaStage }) RequireSameVision(Path.Combine(dir, stage), model.Config);

        // One caption per row: the packed path with a single segment is the plain causal forward.
        var captions = ctx.Train.ReadCaptions();
        var captionRows = captions.Select(c => PackedExample.Pack([ctx.Prompts.WithAnswer(ctx.Prompts.ImageCaption(), c.Text)], PromptPrefix)).ToArray();
        var captionImages = captions.Select(c => imageIndex[c.Image]).ToArray();
        var align = Job(ctx, model, $"{name}/{AlignStage}", Path.Combine(dir, AlignStage), model.ConnectorParameters().ToArray(),
            p.Align1, captionRows, captionImages, inputs.TrainFeatures);
        StageRunner.Run(align, ctx.Observer, stopAfter);

        // The semantic control is trained alongside 2DS, so that its block measures the same model.
        var byImage = ctx.Train.Questions.Concat(ctx.Train.Semantic).GroupBy(q => q.Image).ToArray();
        var packed = byImage.Select(g => PackedExample.Pack(g.Select(q => ctx.Prompts.WithAnswer(ctx.Prompts.ImageQuestion(q.Text), q.Answer)).ToArray(), PromptPrefix)).ToArray();
        var qaImages = byImage.Select(g => imageIndex[g.Key]).ToArray();
        var trainable = model.ConnectorParameters().Concat(model.LanguageModel.parameters()).ToArray();
        var plateau = p.Qa2.Patience is int patience && inputs.ValFeatures is { } val
            ? PlateauCheck(ctx, model, val, Path.Combine(dir, QaStage), patience, name)
            : null;
        var qa = Job(ctx, model, $"{name}/{QaStage}", Path.Combine(dir, QaStage), trainable, p.Qa2, packed, qaImages, inputs.TrainFeatures) with { Plateaued = plateau };
        StageRunner.Run(qa, ctx.Observer, stopAfter);

        var (result, predictions) = Evaluation.Run(model, ctx, ctx.Test, inputs.TestFeatures, name);
        CheckpointFiles.WriteJson(Path.Combine(dir, EvalFile), result);
        File.WriteAllLines(Path.Combine(dir, PredictionsFile), predictions.Select(x => System.Text.Json.JsonSerializer.Serialize(x, Json.Compact)));
        return result;
    }

    /// <summary>At each stage-2 checkpoint: the val accuracy appended to the curve, and whether it has plateaued.</summary>
    static Func<int, bool> PlateauCheck(RunContext ctx, VisionLanguageModel model, FeatureCache val, string stageDir, int patience, string name) => step =>
    {
        var (accuracy, relative) = Evaluation.Accuracy(model, ctx, ctx.Val, val, ValQuestions);
        var curve = ValCurve.Append(stageDir, new Stage2Point(step, accuracy, relative), p => p.Step);
        ctx.Observer.Info($"{name}/{QaStage}: step {step}, val accuracy {accuracy:P1} (relative {relative:P1})");
        return Plateaued(curve.Select(p => p.Accuracy).ToArray(), patience);
    };

    /// <summary>True once the last <paramref name="patience"/> points have all failed to beat the best before them by <see cref="MinGain"/>.</summary>
    public static bool Plateaued(IReadOnlyList<double> curve, int patience)
    {
        if (patience < 1 || curve.Count <= patience) return false;
        double best = curve.Take(curve.Count - patience).Max();
        return curve.Skip(curve.Count - patience).All(a => a < best + MinGain);
    }

    /// <summary>
    /// A checkpoint of another vision tower (taps, stem, sizes) has the same tensor shapes when
    /// only the taps differ, so resuming it would silently mix two models: refuse instead.
    /// </summary>
    static void RequireSameVision(string stageDir, ModelConfig config)
    {
        string checkpoint = StageRunner.CheckpointDir(stageDir);
        if (!File.Exists(Path.Combine(checkpoint, CheckpointFiles.ConfigFile))) return;
        var saved = CheckpointFiles.ReadConfig(checkpoint).Vision;
        if (saved != config.Vision)
            throw new InvalidDataException($"{checkpoint} holds a model with another vision tower ({saved}) than this run's ({config.Vision}): " +
                "resume with the options it was trained with, or train into another --run folder");
    }

    /// <summary>bos and the image placeholder: what every question of an image shares.</summary>
    const int PromptPrefix = 2;

    /// <summary>
    /// Stages 1 and 2: each row one image with its examples packed (see PackedExample); stage 2 packs
    /// all of an image's questions. The budget's batch size counts examples, so a step sees about as
    /// many as unpacked rows would, for a fraction of the work.
    /// </summary>
    static StageJob Job(RunContext ctx, VisionLanguageModel model, string name, string dir, Parameter[] trainable,
        StageBudget budget, PackedExample[] rows, long[] images, FeatureCache features)
    {
        double perRow = rows.Average(r => r.Examples);
        int rowsPerStep = Math.Max(1, (int)Math.Round(budget.BatchSize / perRow));
        var sampler = new BatchSampler(rows.Length, rowsPerStep, ctx.Preset.Seed, name);
        return new StageJob(name, dir, model, trainable, budget,
            step =>
            {
                var idx = sampler.Indices(step);
                using var batch = PackedBatch.From(idx.Select(i => rows[i]).ToArray(), ctx.Vocab.PadId);
                var embeddings = model.ProjectFeatures(features.Batch(idx.Select(i => images[i]).ToArray(), ctx.Device));
                var ids = batch.Ids.to(ctx.Device);
                var output = model.ForwardPacked(embeddings, ids, batch.Segments.to(ctx.Device), batch.Positions.to(ctx.Device));
                var labels = ImageSplice.SpliceLabels(batch.Labels.to(ctx.Device), ids, model.Config.ImageTokenId, model.Config.NumImageTokens);
                return AnswerLoss.Compute(output.Logits, labels);
            },
            ctx.Preset.CheckpointEvery,
            tmp => CheckpointFiles.Write(tmp, model.Config, ctx.Vocab.File),
            SamplesPerStep: rowsPerStep * perRow);
    }
}
