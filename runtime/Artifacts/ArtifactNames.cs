namespace Pipeline.Runtime;

/// <summary>The names an artifact's graphs, files and tensors go by; exporter and runtime share them.</summary>
public static class ArtifactNames
{
    public const string VisionGraph = "vision", LanguageGraph = "language_model";
    public const string VisionFile = "vision.onnx", LanguageFile = "language_model.onnx";
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

    // Symbolic dimensions
    public const string Batch = "batch", TextLength = "text_length", Sequence = "sequence";
}
