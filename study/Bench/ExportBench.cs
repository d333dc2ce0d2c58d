using System.Diagnostics;
using Pipeline.Data;
using Pipeline.Export;
using Pipeline.Export.Graphs;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using Pipeline.Train.Training;
using static Pipeline.Runtime.ArtifactNames;
using static TorchSharp.torch;

namespace Pipeline.Study.Bench;

/// <summary>What `pipeline bench export` measures.</summary>
/// <param name="Variant">all, or a variant's folder under RUN/stages (baseline, norm, norm-multilayer, …).</param>
/// <param name="Opset">17, 23 or both.</param>
/// <param name="Questions">The first N 2DS-test questions; null = all of them.</param>
/// <param name="Threads">TorchSharp and ONNX Runtime (intra-op) threads.</param>
public sealed record ExportBenchOptions(string RunDir, string Variant = "all", string Opset = "both", int? Questions = null, int Threads = 2);

/// <summary>What <see cref="ExportBench"/> measured; <see cref="Passed"/>: every output within tolerance and every answer identical.</summary>
public sealed record ExportBenchResult(
    IReadOnlyList<ExportBench.ExportFigures> Exports, IReadOnlyList<ExportBench.DecodeFigures> Decodes, IReadOnlyList<ExportBench.VariantParity> Parity, int Questions, bool Passed);

/// <summary>
/// The parity and performance benchmark on a trained run: each variant's checkpoint exported
/// at each opset (time, size against parameters × 4 + test vectors), every exposed output of ONNX
/// Runtime (CPU) against TorchSharp on one batch of 2DS-test questions (Polygraphy's rule), and
/// greedy answers to the 2DS-test questions from both runtimes: identical ids, accuracy, questions/s.
/// </summary>
public static class ExportBench
{
    const int BatchSize = GreedyAnswers.BatchSize;

    const string TorchRuntime = "TorchSharp";

    public static ExportBenchResult Run(ExportBenchOptions options, IProgress<string> progress)
    {
        if (string.IsNullOrWhiteSpace(options.RunDir)) throw new ArgumentException("bench export needs --run RUN_DIR, a run folder written by 'pipeline run' or 'pipeline train'");
        if (options.Questions is <= 0) throw new ArgumentException($"--questions must be positive (got {options.Questions})");
        var opsets = ParseOpsets(options.Opset);
        string runDir = Path.GetFullPath(options.RunDir);
        if (!Directory.Exists(runDir)) throw new DirectoryNotFoundException($"run folder {runDir} does not exist; pass --run a folder written by 'pipeline run' or 'pipeline train'");
        var checkpoints = FindCheckpoints(runDir, options.Variant);
        var test = Dataset.Load(RunContext.DataDir(runDir, "test"));
        if (options.Questions > test.Questions.Count)
            throw new ArgumentException($"--questions {options.Questions} exceeds the {test.Questions.Count} questions of {test.Directory}");

        set_num_threads(options.Threads);
        var settings = new SessionSettings(options.Threads);
        progress.Report($"machine: {Environment.ProcessorCount} cores, threads: {options.Threads} for TorchSharp and for ONNX Runtime (CPU EP); timings are wall-clock and share the CPU with whatever else runs");
        var workload = Workload.Load(test, options.Questions ?? test.Questions.Count, options.Threads);
        progress.Report($"2DS-test: {workload.Questions.Count} questions on {workload.ImageCount} images from {test.Directory}");

        string scratch = Path.Combine(Path.GetTempPath(), $"pipeline-bench-export-{Guid.NewGuid():N}");
        var exports = new List<ExportFigures>();
        var decodes = new List<DecodeFigures>();
        var parities = new List<VariantParity>();
        bool passed = true;
        try
        {
            foreach (var (name, dir) in checkpoints)
                passed &= BenchVariant(name, dir, opsets, workload, settings, scratch, progress, exports, decodes, parities);
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }

        return new ExportBenchResult(exports, decodes, parities, workload.Questions.Count, passed);
    }

    static IReadOnlyList<int> ParseOpsets(string opset) => opset.Trim().ToLowerInvariant() switch
    {
        "both" => ExportOpsets.Supported,
        var s when int.TryParse(s, out int n) && ExportOpsets.Supported.Contains(n) => [n],
        _ => throw new ArgumentException($"--opset {opset} is not supported: use {ExportOpsets.Default}, {ExportOpsets.Standard} or both"),
    };

    /// <summary>RUN/stages/VARIANT/2-qa/checkpoint for the named variant, or every variant that has one (the paper's three first).</summary>
    static IReadOnlyList<(string Name, string Dir)> FindCheckpoints(string runDir, string variant)
    {
        string stages = RunLayout.At(runDir).Stages;
        static string CheckpointOf(string variantDir) => StageRunner.CheckpointDir(Path.Combine(variantDir, VariantTraining.QaStage));
        var available = Directory.Exists(stages)
            ? Directory.GetDirectories(stages)
                .Select(d => (Name: Path.GetFileName(d), Dir: CheckpointOf(d)))
                .Where(c => Directory.Exists(c.Dir))
                .OrderBy(c => VariantNames.All.ToList().IndexOf(c.Name) is var i and >= 0 ? i : int.MaxValue)
                .ThenBy(c => c.Name, StringComparer.Ordinal)
                .ToArray()
            : [];
        string list = available.Length == 0 ? "none" : string.Join(", ", available.Select(a => a.Name));
        if (variant.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            if (available.Length == 0)
                throw new DirectoryNotFoundException($"{runDir} has no variant checkpoints (stages/VARIANT/{VariantTraining.QaStage}/{StageRunner.CheckpointFolder}); train them with 'pipeline train --run {runDir}'");
            return available;
        }
        string name = variant.Trim();
        if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
            throw new ArgumentException($"--variant '{variant}' is not a variant name: use all or one of {list}");
        string dir = CheckpointOf(Path.Combine(stages, name));
        if (!Directory.Exists(dir) && !VariantNames.All.Contains(name))
            throw new ArgumentException($"--variant '{name}' is not a variant of this run: use all or one of {list}");
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"no checkpoint for variant '{name}' at {dir} (checkpoints in this run: {list}); train it with 'pipeline train --run {runDir} --variant {name}'");
        return [(name, dir)];
    }

    static bool BenchVariant(
        string name, string checkpointDir, IReadOnlyList<int> opsets, Workload workload, SessionSettings settings, string scratch,
        IProgress<string> progress, List<ExportFigures> exports, List<DecodeFigures> decodes, List<VariantParity> parities)
    {
        using var checkpoint = Checkpoint.Load(checkpointDir);
        var model = checkpoint.Model;
        model.eval();
        RequireMatchingData(checkpoint, workload);
        var vocab = new WordVocab(checkpoint.Vocab);
        var prompts = new Prompts(vocab);
        var promptRows = workload.Questions.Select(q => prompts.ImageQuestion(q.Text)).ToArray();
        var batch = workload.ParityBatch(promptRows, vocab.PadId);

        progress.Report($"{name}: TorchSharp reference outputs on {batch.Ids.Shape[0]} questions (padded to {batch.Ids.Shape[1]} tokens), then greedy answers to {promptRows.Length}");
        var reference = TorchReference.Run(model, batch.Pixels, batch.Ids, batch.Mask);
        var torch = GreedyAnswers.FromPixels(new TorchAnswerer(model, vocab), workload.Pixels, workload.ImageOf, promptRows);
        var torchFigures = new DecodeFigures(name, TorchRuntime, null, torch, Correct(workload, torch), checkpoint.Evaluation?.Overall);
        decodes.Add(torchFigures);
        progress.Report($"{name}: TorchSharp {torchFigures.Accuracy:P1} correct, {torchFigures.QuestionsPerSecond:F0} questions/s" +
            (checkpoint.Evaluation is { } e ? $" (training's eval.json, from float16-cached features: {e.Overall:P1})" : ""));

        bool passed = true;
        var parity = new Dictionary<int, IReadOnlyList<ParityRow>>();
        foreach (int opset in opsets)
        {
            var export = ArtifactExporter.Export(new ExportOptions(checkpointDir, Path.Combine(scratch, $"{name}-opset{opset}"), opset));
            var figures = ExportFigures.Of(name, opset, export, model);
            exports.Add(figures);
            progress.Report($"{name} opset {opset}: exported in {figures.Seconds:F2} s, {Mb(figures.TotalBytes)} " +
                $"(initializers {Mb(figures.InitializerBytes)}, test vectors {Mb(figures.TestVectorBytes)}, graph structure and other files {Mb(figures.OtherBytes)}); " +
                $"{figures.DiffPercent:+0.00;-0.00}% against parameters × 4 + test vectors = {Mb(figures.Budget)}, " +
                $"{figures.ExportedDiffPercent:+0.00;-0.00}% against the parameters the graphs read × 4 + test vectors = {Mb(figures.ExportedBudget)}");

            using var artifact = ModelArtifact.Open(export.Directory, settings);
            var rows = CompareOutputs(artifact.Vision, artifact.Language, batch, reference);
            parity[opset] = rows;
            var ort = GreedyAnswers.FromPixels(artifact, workload.Pixels, workload.ImageOf, promptRows);
            var ortFigures = new DecodeFigures(name, $"ORT CPU opset {opset}", Identical(ort, torch), ort, Correct(workload, ort), null);
            decodes.Add(ortFigures);
            progress.Report($"{name} opset {opset}: {rows.Count(r => r.Passed)}/{rows.Count} outputs pass; ORT answers identical to TorchSharp's on " +
                $"{ortFigures.Identical}/{promptRows.Length}, {ortFigures.Accuracy:P1} correct, {ortFigures.QuestionsPerSecond:F0} questions/s");
            foreach (int i in Enumerable.Range(0, promptRows.Length).Where(i => !ort.Ids[i].SequenceEqual(torch.Ids[i])).Take(5))
                progress.Report($"  differs: {workload.Questions[i].Id} \"{workload.Questions[i].Text}\": TorchSharp [{torch.Texts[i]}], ORT [{ort.Texts[i]}]");
            passed &= rows.All(r => r.Passed) && ortFigures.Identical == promptRows.Length;
            artifact.Dispose();
            Directory.Delete(export.Directory, recursive: true);
        }
        parities.Add(new VariantParity(name, (int)batch.Ids.Shape[0], parity));
        return passed;
    }

    /// <summary>The run's test split must be what the checkpoint was trained for: same image size and vocabulary.</summary>
    static void RequireMatchingData(Checkpoint checkpoint, Workload workload)
    {
        var data = workload.Dataset;
        if (checkpoint.Config.Vision.ImageSize != data.Manifest.ImageSize)
            throw new InvalidDataException($"{checkpoint.Directory} expects {checkpoint.Config.Vision.ImageSize}px images but {data.Directory} has {data.Manifest.ImageSize}px");
        if (!checkpoint.Vocab.Tokens.SequenceEqual(data.Vocab.Tokens))
            throw new InvalidDataException($"{checkpoint.Directory}'s vocab.json differs from {data.Directory}'s; bench a checkpoint with the run it was trained in");
    }

    /// <summary>Every output both graphs expose, in graph order, against TorchSharp; ORT's language graph reads ORT's own image embeddings.</summary>
    static IReadOnlyList<ParityRow> CompareOutputs(OrtGraphSession vision, OrtGraphSession language, ParityBatch batch, ReferenceOutputs reference)
    {
        var v = vision.Run(new Dictionary<string, HostTensor> { [Pixels] = batch.Pixels });
        var l = language.Run(new Dictionary<string, HostTensor> { [ImageEmbeddings] = v[ImageEmbeddings], [InputIds] = batch.Ids, [AttentionMask] = batch.Mask });
        static IEnumerable<ParityRow> Rows(string graph, IReadOnlyList<string> names, IReadOnlyDictionary<string, HostTensor> actual, IReadOnlyDictionary<string, HostTensor> expected) =>
            names.Select(n => expected.TryGetValue(n, out var e)
                ? TensorComparison.Compare($"{graph}/{n}", actual[n], e, Tolerance.Default)
                : new ParityRow($"{graph}/{n}", actual[n].ShapeText, double.NaN, double.NaN, actual[n].Count, actual[n].Count, "TorchSharp has no such output"));
        return Rows(VisionGraph, vision.OutputNames, v, reference.Vision).Concat(Rows(LanguageGraph, language.OutputNames, l, reference.Language)).ToArray();
    }

    static int Identical(AnswerRun a, AnswerRun b) => a.Ids.Zip(b.Ids).Count(p => p.First.SequenceEqual(p.Second));

    /// <summary>Exact match after normalisation, as Evaluation grades.</summary>
    static int Correct(Workload workload, AnswerRun run) =>
        workload.Questions.Zip(run.Texts).Count(p => Scoring.IsCorrect(p.Second, p.First.Answer));

    static string Mb(long bytes) => $"{MbNumber(bytes)} MB";

    static string MbNumber(long bytes) => (bytes / 1e6).ToString("F3");

    /// <param name="Identical">Answers with the same ids as TorchSharp's; null for TorchSharp itself.</param>
    /// <param name="TrainingAccuracy">What training's eval.json recorded (from float16-cached features); TorchSharp row only.</param>
    public sealed record DecodeFigures(string Variant, string Runtime, int? Identical, AnswerRun Decoded, int Correct, double? TrainingAccuracy)
    {
        public double Accuracy => (double)Correct / Decoded.Ids.Length;

        public double QuestionsPerSecond => Decoded.QuestionsPerSecond;
    }

    /// <summary>An export's time and sizes.</summary>
    /// <param name="ParameterBytes">Every parameter of the model × 4 bytes.</param>
    /// <param name="ExportedParameterBytes">The parameters the graphs can read × 4 bytes: the baseline's graph stops at the penultimate encoder layer, so its last block and final LayerNorm are left out.</param>
    /// <param name="InitializerBytes">The weights the ONNX files carry (the exporter's count, constants included).</param>
    public sealed record ExportFigures(
        string Variant, int Opset, double Seconds, long TotalBytes, long ParameterBytes, long ExportedParameterBytes, long TestVectorBytes, long InitializerBytes)
    {
        /// <summary>Graph structure (nodes, names, metadata), manifest, model card, vocabulary.</summary>
        public long OtherBytes => TotalBytes - InitializerBytes - TestVectorBytes;

        public long Budget => ParameterBytes + TestVectorBytes;

        public long ExportedBudget => ExportedParameterBytes + TestVectorBytes;

        public double DiffPercent => 100.0 * (TotalBytes - Budget) / Budget;

        public double ExportedDiffPercent => 100.0 * (TotalBytes - ExportedBudget) / ExportedBudget;

        public static ExportFigures Of(string variant, int opset, ExportResult export, VisionLanguageModel model)
        {
            var config = model.Config;
            int deepest = VisionTowerGraph.DeepestLayerRead(config);
            bool Exported(string name) =>
                !(name.StartsWith("vision_tower.blocks.", StringComparison.Ordinal) && int.Parse(name.Split('.')[2]) >= deepest)
                && !(name.StartsWith("vision_tower.ln_post.", StringComparison.Ordinal) && !config.Variant.UsesMultilayer());
            long all = 0, exported = 0;
            foreach (var (name, parameter) in model.named_parameters())
            {
                all += parameter.numel();
                if (Exported(name)) exported += parameter.numel();
            }
            return new ExportFigures(variant, opset, export.Elapsed.TotalSeconds, export.TotalBytes, 4 * all, 4 * exported, export.TestVectorBytes, export.WeightBytes);
        }
    }

    /// <summary>Per opset, every exposed output of ONNX Runtime against TorchSharp on one batch of a variant's questions.</summary>
    public sealed record VariantParity(string Variant, int BatchQuestions, IReadOnlyDictionary<int, IReadOnlyList<ParityRow>> ByOpset);

    /// <summary>The parity batch: the first questions, their images' pixels, their prompts right-padded.</summary>
    sealed record ParityBatch(HostTensor Pixels, HostTensor Ids, HostTensor Mask);

    /// <summary>
    /// The questions benched and their images, normalised as PixelStore does ((x / 255 − 0.5) / 0.5,
    /// NCHW): both runtimes read the same floats.
    /// </summary>
    sealed class Workload(Dataset dataset, IReadOnlyList<Question> questions, int[] imageOf, HostTensor pixels)
    {
        public Dataset Dataset { get; } = dataset;

        public IReadOnlyList<Question> Questions { get; } = questions;

        /// <summary>Question i's image, as a row of <see cref="Pixels"/>.</summary>
        public int[] ImageOf { get; } = imageOf;

        /// <summary>(images, 3, H, W)</summary>
        public HostTensor Pixels { get; } = pixels;

        public int ImageCount => (int)Pixels.Shape[0];

        public static Workload Load(Dataset test, int questions, int threads)
        {
            var selected = test.Questions.Take(questions).ToArray();
            var sceneIndex = test.Scenes.Select((s, i) => (s.Image, i)).ToDictionary(p => p.Image, p => (long)p.i);
            var images = selected.Select(q => q.Image).Distinct().ToArray();
            var row = images.Select((image, i) => (image, i)).ToDictionary(p => p.image, p => p.i);
            foreach (var image in images)
                if (!sceneIndex.ContainsKey(image)) throw new InvalidDataException($"{test.Directory}: a question asks about {image}, which scenes.jsonl does not list; regenerate the split");
            using var store = PixelStore.Load(test, threads);
            using var scope = NewDisposeScope();
            var pixels = HostTensors.ToHost(store.Batch(images.Select(i => sceneIndex[i]).ToArray()));
            return new Workload(test, selected, selected.Select(q => row[q.Image]).ToArray(), pixels);
        }

        /// <summary>The first questions' pixels and their prompts right-padded, as the graphs take them.</summary>
        public ParityBatch ParityBatch(IReadOnlyList<long[]> prompts, long padId)
        {
            int b = Math.Min(BatchSize, Questions.Count);
            var (ids, mask) = PromptBatch.PadRight(prompts.Take(b).ToArray(), padId);
            return new ParityBatch(HostRows.Gather(Pixels, ImageOf[..b]), ids, mask);
        }
    }
}
