using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Runtime;

/// <summary>
/// manifest.json: everything a runtime needs to use an artifact without the code that made it —
/// the graphs and their signatures, the hashes that prove the files are the ones exported, how to
/// preprocess images and write prompts, the adapter constants, where the model came from, and the
/// test vectors with their tolerances.
/// </summary>
/// <param name="FormatVersion">Readers refuse a manifest newer than <see cref="CurrentFormatVersion"/>.</param>
/// <param name="Files">Every file of the artifact except manifest.json itself.</param>
/// <param name="ModelConfig">The training code's model config, verbatim (its JSON, not a runtime type).</param>
public sealed record ArtifactManifest(
    int FormatVersion,
    string Name,
    string Variant,
    ProducerInfo Producer,
    int Opset,
    long IrVersion,
    IReadOnlyList<GraphSignature> Graphs,
    IReadOnlyList<ArtifactFile> Files,
    JsonElement ModelConfig,
    AdapterConstants Adapters,
    Preprocessing Preprocessing,
    PromptFormat Prompt,
    TrainingRecord Training,
    TestDataRecord TestData)
{
    /// <summary>2: one test set per graph (test_data/GRAPH/test_data_set_0); 1 (still read): one set shared by both graphs.</summary>
    public const int CurrentFormatVersion = 2;
    public const string FileName = "manifest.json";

    /// <summary>The graph called <paramref name="name"/>; InvalidDataException when the manifest has none.</summary>
    /// <summary>How many tokens the language model predicts over (the logits' last dimension), or null where the manifest leaves it symbolic.</summary>
    [JsonIgnore]
    public long? VocabSize => Graph(ArtifactNames.LanguageGraph).Output(ArtifactNames.Logits).Shape[^1].Size;

    public GraphSignature Graph(string name) =>
        Graphs.FirstOrDefault(g => g.Name == name) ?? throw new InvalidDataException($"the manifest lists no graph '{name}' (it has {string.Join(", ", Graphs.Select(g => g.Name))})");
}

/// <summary>Who wrote the artifact, and which framework computed the test vectors' expected outputs.</summary>
public sealed record ProducerInfo(string Name, string Version, string Reference);

/// <summary>A file of the artifact: path relative to the artifact folder with '/' separators.</summary>
public sealed record ArtifactFile(string Path, long Bytes, string Sha256);

/// <summary>One ONNX graph and its inputs and outputs, in graph order.</summary>
public sealed record GraphSignature(string Name, string File, string Description, IReadOnlyList<TensorSignature> Inputs, IReadOnlyList<TensorSignature> Outputs)
{
    public TensorSignature Output(string name) =>
        Outputs.FirstOrDefault(o => o.Name == name) ?? throw new InvalidDataException($"graph '{Name}' has no output '{name}'");

    public TensorSignature Input(string name) =>
        Inputs.FirstOrDefault(i => i.Name == name) ?? throw new InvalidDataException($"graph '{Name}' has no input '{name}'");

    /// <summary>The outputs a plain run needs (intermediates are fetched only when asked for).</summary>
    [JsonIgnore]
    public IEnumerable<TensorSignature> PrimaryOutputs => Outputs.Where(o => !o.Intermediate);
}

/// <param name="Intermediate">An extra output exposed for analysis (not needed to compute the answer).</param>
public sealed record TensorSignature(string Name, string ElementType, IReadOnlyList<Dim> Shape, bool Intermediate, string Description);

/// <summary>The adapters as the graphs compute them.</summary>
/// <param name="EncoderLayers">1-based encoder layers the projector reads (one, or the four taps).</param>
/// <param name="TapsThroughFinalLayerNorm">Whether each tapped layer passes the encoder's final LayerNorm first.</param>
/// <param name="TargetMean">Norm adapter: tokens become TargetMean × min(‖RMSNorm(x)‖, MaxNorm); null without it.</param>
/// <param name="NumImageTokens">M, the image tokens the language model receives.</param>
public sealed record AdapterConstants(
    bool NormAdapter,
    double? TargetMean,
    double? MaxNorm,
    double? RmsNormEps,
    bool Multilayer,
    IReadOnlyList<int> EncoderLayers,
    bool TapsThroughFinalLayerNorm,
    int? PoolTokens,
    int NumImageTokens);

/// <summary>How to turn an RGB image into the vision graph's `pixels` input.</summary>
public sealed record Preprocessing(int ImageSize, int Channels, string Layout, string ChannelOrder, double Mean, double Std, string Formula);

/// <summary>How to turn a question into the language graph's `input_ids`.</summary>
/// <param name="Template">Whitespace-separated tokens, `{question}` replaced by the tokenized question.</param>
public sealed record PromptFormat(
    string Template,
    string ImageToken,
    long ImageTokenId,
    long BosId,
    long EosId,
    long PadId,
    string Padding,
    int MaxSequenceLength,
    string Tokenization,
    string VocabFile);

/// <summary>Where the weights came from: the checkpoint's evaluation and final stage, and the training data.</summary>
/// <param name="Checkpoint">The checkpoint folder, relative to its run folder when it sits in a run's layout.</param>
/// <param name="CheckpointSha256">SHA-256 of the checkpoint's weights file.</param>
/// <param name="Evaluation">The variant's 2DS-test scores as training recorded them (eval.json); null if absent.</param>
/// <param name="FinalStage">The last training stage's state (state.json); null if absent.</param>
public sealed record TrainingRecord(string Checkpoint, string CheckpointSha256, JsonElement? Evaluation, JsonElement? FinalStage, DatasetRecord? Dataset);

/// <summary>The training split, identified by the SHA-256 of its dataset.json (which holds every file's hash).</summary>
public sealed record DatasetRecord(string Generator, string Split, ulong Seed, int Images, int Questions, string ManifestSha256, string ImagesSha256);

/// <summary>The test vectors and the tolerances they must be met with.</summary>
public sealed record TestDataRecord(double Atol, double Rtol, IReadOnlyList<TestSetRecord> Sets);

/// <summary>One test_data_set_N folder: which file feeds (or checks) which graph tensor.</summary>
public sealed record TestSetRecord(string Folder, string Description, IReadOnlyList<TestTensorRef> Inputs, IReadOnlyList<TestTensorRef> Outputs);

public sealed record TestTensorRef(string File, string Graph, string Tensor);
