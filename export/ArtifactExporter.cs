using Pipeline.Train.Training;
using System.Diagnostics;
using System.Reflection;
using Google.Protobuf;
using Pipeline.Data;
using Pipeline.Export.Builder;
using Pipeline.Export.Graphs;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Export;

/// <summary>What to export and how.</summary>
/// <param name="Opset">17 (primitive ops, portable) or 23 (RMSNormalization, RotaryEmbedding, Attention).</param>
/// <param name="Verify">Run the test vectors on ONNX Runtime (CPU) before the artifact is moved into place.</param>
public sealed record ExportOptions(string Checkpoint, string Out, int Opset = ExportOpsets.Default, bool Force = false, bool Verify = true);

/// <summary>What an export wrote and measured.</summary>
/// <param name="Parity">ONNX Runtime (CPU) against TorchSharp on the test vectors, one row per output; empty without Verify.</param>
/// <param name="WeightBytes">Bytes of the initializers the graphs carry (parameters × 4 plus a few constants).</param>
public sealed record ExportResult(
    string Directory, ArtifactManifest Manifest, IReadOnlyList<ParityRow> Parity, TimeSpan Elapsed, long TotalBytes, long WeightBytes, long TestVectorBytes);

/// <summary>The opsets the exporter writes and the IR version each needs.</summary>
public static class ExportOpsets
{
    public const int Default = 17, Standard = 23;

    public static IReadOnlyList<int> Supported { get; } = [Default, Standard];

    /// <summary>The IR version of the ONNX release that introduced the opset (1.12: IR 8, opset 17; 1.18: IR 11, opset 23).</summary>
    public static long IrVersion(int opset) => opset switch
    {
        Default => 8,
        Standard => 11,
        _ => throw Unsupported(opset),
    };

    public static NotSupportedException Unsupported(int opset) =>
        new($"--opset {opset} is not supported: use {Default} (portable primitive ops) or {Standard} (standard RMSNormalization, RotaryEmbedding and Attention)");
}

/// <summary>
/// Writes a variant's checkpoint as a portable artifact: the vision and language graphs with the
/// adapters inside, vocab.json, test vectors from a fixed 2DS batch (TorchSharp's outputs),
/// a model card and manifest.json. The folder is built beside its destination and moved into
/// place only when complete (and, by default, verified on ONNX Runtime), so a failed export
/// leaves nothing. The same checkpoint always gives the same bytes.
/// </summary>
public static class ArtifactExporter
{
    public const string ProducerName = "pipeline-export";

    public static string ProducerVersion =>
        typeof(ArtifactExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public static ExportResult Export(ExportOptions options)
    {
        var clock = Stopwatch.StartNew();
        if (!ExportOpsets.Supported.Contains(options.Opset)) throw ExportOpsets.Unsupported(options.Opset);
        string outDir = Path.GetFullPath(options.Out);
        AtomicDirectory.EnsureWritable(outDir, options.Force);
        using var checkpoint = Checkpoint.Load(options.Checkpoint);
        if (IsInside(outDir, checkpoint.Directory))
            throw new ArgumentException($"--out {outDir} lies inside the checkpoint folder; choose another --out");

        ArtifactManifest manifest = null!;
        IReadOnlyList<ParityRow> parity = [];
        long weightBytes = 0, testBytes = 0;
        AtomicDirectory.Write(outDir, options.Force, tmp =>
        {
            var (graphs, weights) = WriteGraphs(tmp, checkpoint, options.Opset);
            weightBytes = weights;
            File.WriteAllBytes(Path.Combine(tmp, ArtifactNames.VocabFile), checkpoint.VocabBytes);
            var (testData, items) = WriteTestVectors(tmp, checkpoint, graphs);
            testBytes = DirectoryBytes(Path.Combine(tmp, TestDataFolder));
            manifest = BuildManifest(checkpoint, options.Opset, graphs, testData);
            if (options.Verify) parity = Verify(tmp, manifest);
            File.WriteAllText(Path.Combine(tmp, ModelCardFile), ModelCard.Write(manifest, checkpoint.Evaluation, items, parity));
            manifest = manifest with { Files = ArtifactFiles.DescribeAll(tmp) };
            ArtifactFiles.WriteManifest(tmp, manifest);
        });
        return new ExportResult(outDir, manifest, parity, clock.Elapsed, DirectoryBytes(outDir), weightBytes, testBytes);
    }

    /// <summary>Both graphs, checked to read every weight the model's forward pass reads.</summary>
    static (IReadOnlyList<GraphSignature> Graphs, long WeightBytes) WriteGraphs(string dir, Checkpoint checkpoint, int opset)
    {
        var config = checkpoint.Config;
        var weights = new ModelWeights(checkpoint.Model);
        var builders = new[]
        {
            (Builder: VisionTowerGraph.Build(config, weights, opset), File: VisionFile),
            (Builder: LanguageModelGraph.Build(config, weights, opset), File: LanguageFile),
            (Builder: LanguageModelGraph.BuildStep(config, weights, opset), File: LanguageStepFile),
        };
        weights.RequireAllUsed();
        long bytes = 0;
        var signatures = new List<GraphSignature>();
        foreach (var (builder, file) in builders)
        {
            var model = builder.ToModel(Describe(config, opset, builder.Name, builder.DocString));
            IntermediateShapes.Annotate(model);
            bytes += model.Graph.Initializer.Sum(i => (long)i.RawData.Length);
            File.WriteAllBytes(Path.Combine(dir, file), model.ToByteArray());
            signatures.Add(new GraphSignature(builder.Name, file, builder.DocString, builder.Inputs, builder.Outputs));
        }
        return (signatures, bytes);
    }

    /// <summary>What each ONNX file says about itself in its own header (Netron shows these).</summary>
    static ModelInfo Describe(ModelConfig config, int opset, string graph, string doc)
    {
        var metadata = new List<KeyValuePair<string, string>>
        {
            new("pipeline.graph", graph),
            new("pipeline.variant", config.Variant.ToCliName()),
            new("pipeline.artifact_format", ArtifactManifest.CurrentFormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("pipeline.companion", graph == LanguageGraph ? VisionFile : LanguageFile),
            new("pipeline.num_image_tokens", config.NumImageTokens.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("pipeline.image_token_id", config.ImageTokenId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("pipeline.preprocessing", PixelFormula),
            new("pipeline.prompt_template", Prompts.QuestionTemplate),
        };
        if (config.Variant.UsesNormAdapter() && config.Norm is { } norm)
        {
            metadata.Add(new("pipeline.norm_target_mean", norm.TargetMean.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            metadata.Add(new("pipeline.norm_max_norm", norm.MaxNorm.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        }
        return new ModelInfo(opset, ExportOpsets.IrVersion(opset), ProducerName, ProducerVersion, doc, metadata);
    }

    const string PixelFormula = "(x / 255 - 0.5) / 0.5 per RGB channel, NCHW";

    /// <summary>
    /// One test set per graph, on the same reference batch: the vision graph's pixels and outputs,
    /// the language graph's inputs (the image embeddings TorchSharp computed) and outputs, and the
    /// step graph on the language graph's keys and values with each row's answer and end token
    /// appended; each numbered in its graph's own order.
    /// </summary>
    static (TestDataRecord Record, IReadOnlyList<ReferenceItem> Items) WriteTestVectors(string dir, Checkpoint checkpoint, IReadOnlyList<GraphSignature> graphs)
    {
        var vocab = new WordVocab(checkpoint.Vocab);
        var batch = ReferenceBatch.Build(checkpoint.Config.Vision.ImageSize, new Prompts(vocab), vocab.PadId);
        var reference = TorchReference.Run(checkpoint.Model, batch.Pixels, batch.InputIds, batch.AttentionMask);
        var embeddings = reference.Vision[ImageEmbeddings];
        var feeds = new Dictionary<string, IReadOnlyDictionary<string, HostTensor>>
        {
            [VisionGraph] = new Dictionary<string, HostTensor> { [Pixels] = batch.Pixels },
            [LanguageGraph] = new Dictionary<string, HostTensor>
            {
                [ImageEmbeddings] = embeddings,
                [InputIds] = batch.InputIds,
                [AttentionMask] = batch.AttentionMask,
            },
        };
        var outputs = new Dictionary<string, IReadOnlyDictionary<string, HostTensor>> { [VisionGraph] = reference.Vision, [LanguageGraph] = reference.Language };
        var (stepFeeds, stepLogits) = StepReference(checkpoint, vocab, batch, reference, embeddings);
        feeds[LanguageStepGraph] = stepFeeds;
        outputs[LanguageStepGraph] = new Dictionary<string, HostTensor> { [Logits] = stepLogits };

        string questions = $"{batch.Items.Count} 2DS-test questions, right-padded to {batch.InputIds.Shape[1]} tokens: " +
            string.Join("; ", batch.Items.Select(i => $"image {i.Image} ({i.NumObjects} objects) {i.Category} \"{i.Question}\""));
        var sets = graphs.Select(g =>
        {
            string folder = TestSetFolder(g.Name);
            Directory.CreateDirectory(Path.Combine(dir, folder));
            var inputRefs = g.Inputs.Select((x, i) => Write(dir, folder, $"input_{i}.pb", g.Name, x.Name, feeds[g.Name][x.Name])).ToArray();
            var outputRefs = g.Outputs.Select((x, i) => Write(dir, folder, $"output_{i}.pb", g.Name, x.Name, outputs[g.Name][x.Name])).ToArray();
            string what = g.Name == LanguageStepGraph ? $"{g.Name}: each row's answer and end token after the cache of {questions}" : $"{g.Name}: {questions}";
            return new TestSetRecord(folder, what, inputRefs, outputRefs);
        }).ToArray();
        return (new TestDataRecord(Tolerance.DefaultAtol, Tolerance.DefaultRtol, sets), batch.Items);
    }

    /// <summary>
    /// The step graph's test inputs and expected logits: the reference batch's keys and values as the
    /// cache, two new tokens per row (the first word of its answer, then the end token) at the
    /// positions after its real length, and TorchSharp's full forward over the longer prompts.
    /// </summary>
    static (IReadOnlyDictionary<string, HostTensor> Feeds, HostTensor Logits) StepReference(
        Checkpoint checkpoint, WordVocab vocab, ReferenceBatch batch, ReferenceOutputs reference, HostTensor embeddings)
    {
        long m = embeddings.Shape[1];
        int b = (int)batch.InputIds.Shape[0], t = (int)batch.InputIds.Shape[1];
        var prompts = Enumerable.Range(0, b)
            .Select(r => batch.InputIds.Longs.Skip(r * t).Take((int)batch.AttentionMask.Longs.Skip(r * t).Take(t).Sum()).ToArray()).ToArray();
        var newTokens = batch.Items.Select(i => new[] { vocab.Encode(i.Answer)[0], vocab.EosId }).ToArray();
        long past = t + m - 1;
        var feeds = KvCache(checkpoint.Config.Language.Depth).ToDictionary(c => c.Past, c => reference.Language[c.Present]);
        foreach (var (name, tensor) in OrtGreedyDecoder.StepInputs(newTokens, prompts.Select(p => p.Length + m - 1).ToArray(), past)) feeds[name] = tensor;
        return (feeds, TorchReference.StepLogits(checkpoint.Model, embeddings, prompts, newTokens, vocab.PadId));
    }

    static TestTensorRef Write(string dir, string folder, string file, string graph, string tensor, HostTensor value)
    {
        TensorProtoFile.Write(Path.Combine(dir, folder, file), tensor, value);
        return new TestTensorRef(file, graph, tensor);
    }

    /// <summary>The test vectors on ONNX Runtime's CPU provider; any failing output aborts the export.</summary>
    static IReadOnlyList<ParityRow> Verify(string dir, ArtifactManifest manifest)
    {
        var rows = TestVectors.Run(dir, manifest);
        var failed = rows.Where(r => !r.Passed).ToArray();
        if (failed.Length > 0)
            throw new InvalidOperationException(
                $"the exported graphs disagree with TorchSharp on {string.Join(", ", failed.Select(f => $"{f.Name} (max abs {f.MaxAbs:G3}, max rel {f.MaxRel:G3}, {f.Mismatches}/{f.Count} beyond atol {manifest.TestData.Atol:G} and rtol {manifest.TestData.Rtol:G}{(f.Problem is null ? "" : "; " + f.Problem)})"))}; nothing was written");
        return rows;
    }

    /// <summary>The manifest without its file list, which is filled in once every other file is written.</summary>
    static ArtifactManifest BuildManifest(Checkpoint checkpoint, int opset, IReadOnlyList<GraphSignature> graphs, TestDataRecord testData)
    {
        var config = checkpoint.Config;
        var vocab = new WordVocab(checkpoint.Vocab);
        var norm = config.Variant.UsesNormAdapter() ? config.Norm : null;
        var adapters = new AdapterConstants(
            NormAdapter: norm is not null,
            TargetMean: norm?.TargetMean,
            MaxNorm: norm?.MaxNorm,
            RmsNormEps: norm is null ? null : 1e-6,
            Multilayer: config.Variant.UsesMultilayer(),
            EncoderLayers: config.Variant.UsesMultilayer() ? config.Vision.TapLayers : [config.Vision.FeatureLayer],
            TapsThroughFinalLayerNorm: config.Variant.UsesMultilayer(),
            PoolTokens: config.PoolTokens,
            NumImageTokens: config.NumImageTokens);
        var preprocessing = new Preprocessing(config.Vision.ImageSize, config.Vision.Channels, "NCHW", "RGB", 0.5, 0.5, PixelFormula);
        var prompt = new PromptFormat(
            Prompts.QuestionTemplate, checkpoint.Vocab.Image, vocab.ImageId, vocab.BosId, vocab.EosId, vocab.PadId, "right",
            config.Language.MaxSeqLen,
            "lower-case words; ? . , : ! are tokens of their own; unknown words map to " + checkpoint.Vocab.Unk,
            ArtifactNames.VocabFile);
        string torchSharp = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "?";
        return new ArtifactManifest(
            ArtifactManifest.CurrentFormatVersion,
            $"pipeline-2ds-{config.Variant.ModelName(config.PoolTokens)}",
            config.Variant.ToCliName(),
            new ProducerInfo(ProducerName, ProducerVersion, $"TorchSharp {torchSharp} (CPU, float32)"),
            opset,
            ExportOpsets.IrVersion(opset),
            graphs,
            [],
            checkpoint.ConfigJson,
            adapters,
            preprocessing,
            prompt,
            checkpoint.Training,
            testData);
    }

    static long DirectoryBytes(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    static bool IsInside(string path, string folder) =>
        (path + Path.DirectorySeparatorChar).StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
