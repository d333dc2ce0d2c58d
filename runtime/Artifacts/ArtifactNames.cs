namespace Pipeline.Runtime;

/// <summary>The names an artifact's graphs, files and tensors go by; exporter and runtime share them.</summary>
public static class ArtifactNames
{
    public const string VisionGraph = "vision", LanguageGraph = "language_model", LanguageStepGraph = "language_model_step";
    public const string VisionFile = "vision.onnx", LanguageFile = "language_model.onnx", LanguageStepFile = "language_model_step.onnx";
    public const string VocabFile = "vocab.json", ModelCardFile = "README.md", TestDataFolder = "test_data";

    /// <summary>
    /// A graph's test set in the ONNX model zoo layout: input_N.pb in the graph's input order,
    /// output_N.pb in its output order, so a zoo runner pairs it with the graph's file alone.
    /// </summary>
    public static string TestSetFolder(string graph) => $"{TestDataFolder}/{graph}/test_data_set_0";

    // Vision graph
    public const string Pixels = "pixels";
    public const string ImageEmbeddings = "image_embeddings";
    public const string EncoderFeatures = "encoder_features";
    public const string ProjectorOutput = "projector_output";
    public const string AdapterOutput = "adapter_output";

    // Language graph (ImageEmbeddings is its first input)
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string Logits = "logits";
    public const string TextEmbeddings = "text_embeddings";
    public const string ImageStart = "image_start";
    public const string HiddenStates = "hidden_states";

    /// <summary>Attention probabilities of decoder layer <paramref name="layer"/> (0-based), (batch, heads, sequence, sequence).</summary>
    public static string AttentionProbs(int layer) => $"attention_probs_{layer}";

    /// <summary>Decoder layer <paramref name="layer"/>'s keys (after RoPE) over the spliced sequence, (batch, heads, sequence, head_dim): a KV cache.</summary>
    public static string PresentKey(int layer) => $"present.{layer}.key";

    /// <summary>Decoder layer <paramref name="layer"/>'s values, (batch, heads, sequence, head_dim).</summary>
    public static string PresentValue(int layer) => $"present.{layer}.value";

    // Step graph: new tokens against the language graph's cache (the present.* outputs fed back as past_key_values.*)
    public const string PositionIds = "position_ids";

    public static string PastKey(int layer) => $"past_key_values.{layer}.key";

    public static string PastValue(int layer) => $"past_key_values.{layer}.value";

    /// <summary>
    /// The KV cache of a <paramref name="layers"/>-layer decoder as the language graph returns it
    /// (present.*) and the step graph takes it (past_key_values.*): key, then value, per layer.
    /// </summary>
    public static IEnumerable<(string Present, string Past)> KvCache(int layers) =>
        Enumerable.Range(0, layers).SelectMany(i => new[] { (PresentKey(i), PastKey(i)), (PresentValue(i), PastValue(i)) });

    // Symbolic dimensions
    public const string Batch = "batch", TextLength = "text_length", Sequence = "sequence";
    public const string PastSequence = "past_sequence", NewTokens = "new_tokens", TotalSequence = "total_sequence";
}
