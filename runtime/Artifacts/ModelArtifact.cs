using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Runtime;

/// <summary>
/// An exported artifact opened for use: its files verified against the manifest, both graphs
/// loaded and checked against their signatures, the tokenizer and the image preprocessing.
/// Intermediate outputs (encoder features, attention probabilities…) are computed only when a
/// caller names them.
/// </summary>
public sealed class ModelArtifact : IAnswerer, IDisposable
{
    readonly ArtifactSessions _sessions;

    ModelArtifact(string directory, ArtifactManifest manifest, ArtifactSessions sessions, PromptTokenizer tokenizer, ImagePreprocessor preprocessor, int concurrentRuns)
    {
        Directory = directory;
        Manifest = manifest;
        _sessions = sessions;
        Tokenizer = tokenizer;
        Preprocessor = preprocessor;
        Vision = sessions[VisionGraph];
        Language = sessions[LanguageGraph];
        Step = sessions.Graphs.Contains(LanguageStepGraph) ? sessions[LanguageStepGraph] : null;
        Decoder = new OrtGreedyDecoder(Language, manifest.Prompt.EosId, manifest.Prompt.PadId, Step);
        // A GPU runs one batch at a time well; side-by-side runs are a CPU matter.
        ConcurrentBatches = sessions.ExecutionProvider == ExecutionProviders.CpuName ? concurrentRuns : 1;
    }

    public string Directory { get; }

    public ArtifactManifest Manifest { get; }

    public OrtGraphSession Vision { get; }

    public OrtGraphSession Language { get; }

    /// <summary>The cached decoding step; null in artifacts exported before it existed.</summary>
    public OrtGraphSession? Step { get; }

    public PromptTokenizer Tokenizer { get; }

    public ImagePreprocessor Preprocessor { get; }

    /// <summary>Greedy decoding on <see cref="Language"/> (and <see cref="Step"/> where present) with the manifest's end and padding ids.</summary>
    public OrtGreedyDecoder Decoder { get; }

    /// <summary>Batches <see cref="GreedyAnswers"/> runs side by side: the settings' ConcurrentRuns on the CPU, 1 on CUDA.</summary>
    public int ConcurrentBatches { get; }

    /// <summary>The execution provider both graphs run on (ONNX Runtime's name).</summary>
    public string ExecutionProvider => _sessions.ExecutionProvider;

    /// <summary>Why an Auto artifact runs on the CPU; null when it got what it asked for.</summary>
    public string? FallbackReason => _sessions.FallbackReason;

    /// <summary>Reads and verifies the artifact in <paramref name="dir"/>; InvalidDataException for a missing, changed or unreadable file.</summary>
    public static ModelArtifact Open(string dir, SessionSettings? settings = null)
    {
        dir = Path.GetFullPath(dir);
        var manifest = ArtifactFiles.ReadManifest(dir);
        ArtifactFiles.VerifyFiles(dir, manifest);
        var tokenizer = PromptTokenizer.Load(dir, manifest);
        var preprocessor = new ImagePreprocessor(manifest.Preprocessing);
        var sessions = ArtifactSessions.Open(dir, manifest, settings);
        try
        {
            return new ModelArtifact(dir, manifest, sessions, tokenizer, preprocessor, (settings ?? SessionSettings.Default).ConcurrentRuns);
        }
        catch
        {
            sessions.Dispose();
            throw;
        }
    }

    /// <summary>The vision graph on (B, 3, H, W) pixels: image_embeddings, plus the named intermediates.</summary>
    public IReadOnlyDictionary<string, HostTensor> EncodeImages(HostTensor pixels, params string[] extraOutputs)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        return Vision.Run(new Dictionary<string, HostTensor> { [Pixels] = pixels }, [ImageEmbeddings, .. extraOutputs.Where(o => o != ImageEmbeddings).Distinct()]);
    }

    /// <summary>
    /// The language graph on one prompt per image row, right-padded with the pad id under an
    /// attention mask. <paramref name="outputs"/> defaults to logits.
    /// </summary>
    public IReadOnlyDictionary<string, HostTensor> RunLanguage(HostTensor imageEmbeddings, IReadOnlyList<long[]> prompts, params string[] outputs)
    {
        ArgumentNullException.ThrowIfNull(imageEmbeddings);
        ArgumentNullException.ThrowIfNull(prompts);
        if (imageEmbeddings.Shape.Length != 3 || imageEmbeddings.Shape[0] != prompts.Count)
            throw new ArgumentException($"{prompts.Count} prompts need image embeddings (batch {prompts.Count}, tokens, width), not {imageEmbeddings}");
        var (ids, mask) = PromptBatch.PadRight(prompts, Manifest.Prompt.PadId);
        return Language.Run(new Dictionary<string, HostTensor>
        {
            [ImageEmbeddings] = imageEmbeddings,
            [InputIds] = ids,
            [AttentionMask] = mask,
        }, outputs.Length == 0 ? [Logits] : outputs.Distinct());
    }

    /// <summary>Greedy answers, one per image row and question, as text (at most <paramref name="maxNewTokens"/> tokens each).</summary>
    public string[] Answer(HostTensor pixels, IReadOnlyList<string> questions, int maxNewTokens = 4)
    {
        ArgumentNullException.ThrowIfNull(questions);
        if (pixels.Shape.Length != 4 || pixels.Shape[0] != questions.Count)
            throw new ArgumentException($"{questions.Count} questions need pixels (batch {questions.Count}, 3, H, W), not {pixels}");
        var embeddings = EncodeImages(pixels)[ImageEmbeddings];
        var prompts = questions.Select(Tokenizer.EncodePrompt).ToArray();
        return Decoder.Generate(embeddings, prompts, maxNewTokens).Select(Tokenizer.Decode).ToArray();
    }

    HostTensor IAnswerer.EncodeImages(HostTensor pixels) => EncodeImages(pixels)[ImageEmbeddings];

    long[][] IAnswerer.Generate(HostTensor imageTokens, IReadOnlyList<long[]> prompts, int maxNewTokens) => Decoder.Generate(imageTokens, prompts, maxNewTokens);

    string IAnswerer.Decode(long[] ids) => Tokenizer.Decode(ids);

    public void Dispose() => _sessions.Dispose();
}
