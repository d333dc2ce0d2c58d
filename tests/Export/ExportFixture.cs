using System.Collections.Concurrent;
using Pipeline.Data;
using Pipeline.Export;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Export;

/// <summary>
/// Tiny checkpoints with random weights, laid out as a run (RUN/stages/VARIANT/2-qa/checkpoint
/// beside eval.json and RUN/data/train/dataset.json), and their exports, each made once per test
/// process: exporting is the slow part of these tests.
/// </summary>
public static class ExportFixture
{
    public const int ImageSize = 16;

    /// <summary>A variant's checkpoint: the tiny config with its own norm constants (not the paper's), so the manifest's must come from the config.</summary>
    public sealed record Key(Variant Variant, int? Pool = null, bool ConvStem = false)
    {
        public override string ToString() => Variant.ToCliName() + (Pool is int k ? $"-pool{k}" : "") + (ConvStem ? "-convstem" : "");
    }

    static readonly string Root = Path.Combine(Path.GetTempPath(), $"pipeline-export-tests-{Guid.NewGuid():N}");
    static readonly ConcurrentDictionary<Key, string> Checkpoints = new();
    static readonly ConcurrentDictionary<(Key, int), string> Artifacts = new();

    public static VocabFile Vocab { get; } =
        new(1, Vocabulary.Pad, Vocabulary.Bos, Vocabulary.Eos, Vocabulary.Unk, Vocabulary.Image, Vocabulary.BuildTokens(ImageSize));

    public static ModelConfig Config(Key key) =>
        ModelConfig.Tiny(Vocab.Tokens.Count, key.Variant) with
        {
            Vision = ModelConfig.Tiny(Vocab.Tokens.Count, key.Variant).Vision with { ConvStem = key.ConvStem },
            PoolTokens = key.Pool,
            Norm = key.Variant.UsesNormAdapter() ? new NormConstants(0.61, 1.37) : null,
        };

    /// <summary>A fresh scratch folder path (not created) under the fixture's root.</summary>
    public static string Scratch(string name) => Path.Combine(Root, "scratch", $"{name}-{Guid.NewGuid():N}");

    public static string Checkpoint(Key key) => Checkpoints.GetOrAdd(key, k => WriteRun(k, Path.Combine(Root, "runs", k.ToString())));

    /// <summary>A checkpoint folder in a run layout with random weights, eval.json and the train split's dataset.json.</summary>
    public static string WriteRun(Key key, string runDir, long seed = 7)
    {
        string variantDir = Path.Combine(runDir, RunLayout.StagesFolder, key.ToString());
        string dir = StageRunner.CheckpointDir(Path.Combine(variantDir, VariantTraining.QaStage));
        Directory.CreateDirectory(dir);
        manual_seed(seed);
        using (var model = new VisionLanguageModel(Config(key)))
        {
            model.save(Path.Combine(dir, StageRunner.ModelFile));
        }
        CheckpointFiles.Write(dir, Config(key), Vocab);
        CheckpointFiles.WriteJson(Path.Combine(dir, StageRunner.StateFile), new StageState($"{key}/2-qa", 20, 20, true, 1.25, 100));
        CheckpointFiles.WriteJson(Path.Combine(variantDir, VariantTraining.EvalFile), new EvalResult(
            key.ToString(), 3000, 0.42,
            new SortedDictionary<string, double> { [Categories.ColorAbs] = 0.6, [Categories.ShapeRel] = 0.5 },
            new SortedDictionary<string, double> { ["2"] = 0.5 },
            new SortedDictionary<string, double> { [Categories.ColorAbs] = 0.25, [Categories.ShapeRel] = 0.5 },
            1.1, 0.8, 500));
        DatasetWriter.Write(new DatasetOptions(Split.Train, 5, null, ScenePlacer.MinImageSize, 1), RunContext.DataDir(runDir, "train"));
        return dir;
    }

    /// <summary>The checkpoint of <paramref name="key"/> exported at <paramref name="opset"/>, once.</summary>
    public static string Artifact(Key key, int opset) =>
        Artifacts.GetOrAdd((key, opset), k => ArtifactExporter.Export(new ExportOptions(Checkpoint(key), Path.Combine(Root, "artifacts", $"{key}-opset{opset}"), opset)).Directory);

    /// <summary>The checkpoint's model, loaded afresh (the caller disposes it).</summary>
    public static VisionLanguageModel LoadModel(Key key)
    {
        var model = new VisionLanguageModel(Config(key));
        model.load(Path.Combine(Checkpoint(key), StageRunner.ModelFile));
        model.eval();
        return model;
    }

    public static IEnumerable<TestCaseData> VariantsAndOpsets() =>
        from variant in Enum.GetValues<Variant>()
        from opset in ExportOpsets.Supported
        select new TestCaseData(new Key(variant), opset).SetArgDisplayNames(variant.ToCliName(), $"opset{opset}");

    /// <summary>Pooling (a k that divides the grid and one that does not) and the convolutional stem.</summary>
    public static IEnumerable<TestCaseData> OtherShapes() =>
    [
        new TestCaseData(new Key(Variant.Baseline, Pool: 2), ExportOpsets.Default).SetArgDisplayNames("baseline-pool2", "opset17"),
        new TestCaseData(new Key(Variant.NormMultilayer, Pool: 3), ExportOpsets.Standard).SetArgDisplayNames("norm-multilayer-pool3", "opset23"),
        new TestCaseData(new Key(Variant.Norm, ConvStem: true), ExportOpsets.Default).SetArgDisplayNames("norm-convstem", "opset17"),
        new TestCaseData(new Key(Variant.Baseline, ConvStem: true), ExportOpsets.Standard).SetArgDisplayNames("baseline-convstem", "opset23"),
    ];

    /// <summary>Deletes every checkpoint and artifact the fixture made (at the end of the test run: other namespaces use them too).</summary>
    public static void DeleteAll()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
