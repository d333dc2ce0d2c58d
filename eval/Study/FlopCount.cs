using System.Text.Json;

namespace Pipeline.Eval.Study;

/// <summary>
/// Multiply-add work of the artifact's graphs, counted from the manifest's model config (2 FLOPs per
/// multiply-add, matrix products only: norms, softmax and element-wise ops are a few percent at
/// these widths; a convolutional stem is counted as the linear patch projection). Used to turn measured time into achieved GFLOP/s.
/// </summary>
public sealed record FlopCount(double VisionPerImage, int ImageTokens, int LmWidth, int LmDepth, int LmMlpHidden, int VocabSize)
{
    public static FlopCount FromConfig(JsonElement config)
    {
        var v = config.GetProperty("vision");
        var l = config.GetProperty("language");
        int n = v.GetProperty("num_patches").GetInt32(), w = v.GetProperty("width").GetInt32(), patch = v.GetProperty("patch_size").GetInt32();
        int ratio = v.GetProperty("mlp_ratio").GetInt32();
        int dl = l.GetProperty("width").GetInt32(), fin = config.GetProperty("projector_in_features").GetInt32();
        double embed = 2.0 * n * patch * patch * 3 * w;
        double block = 2.0 * n * (4.0 * w * w + 2.0 * w * ratio * w) + 4.0 * n * n * w;
        double projector = 2.0 * n * (fin * (double)dl + dl * (double)dl);
        return new FlopCount(embed + BlocksRun(config, v) * block + projector, config.GetProperty("num_image_tokens").GetInt32(),
            dl, l.GetProperty("depth").GetInt32(), l.GetProperty("mlp_hidden").GetInt32(), l.GetProperty("vocab_size").GetInt32());
    }

    /// <summary>The graph stops at the deepest layer it reads: the feature layer, or the last tap (multilayer).</summary>
    static int BlocksRun(JsonElement config, JsonElement vision) =>
        config.GetProperty("variant").GetString() == "norm-multilayer"
            ? vision.GetProperty("tap_layers").EnumerateArray().Max(t => t.GetInt32())
            : vision.GetProperty("feature_layer").GetInt32();

    /// <summary>One forward of the language graph over a spliced sequence of <paramref name="length"/> tokens.</summary>
    public double LanguageForward(int length)
    {
        double s = length, d = LmWidth;
        double layer = 2.0 * s * (4.0 * d * d + 3.0 * d * LmMlpHidden) + 4.0 * s * s * d;
        return LmDepth * layer + 2.0 * s * d * VocabSize;
    }

    /// <summary>Greedy decoding without a KV cache: each step re-reads the prompt and the tokens so far.</summary>
    public double Answer(int promptLength, int generatedTokens)
    {
        double total = 0;
        for (int step = 0; step <= generatedTokens; step++) total += LanguageForward(promptLength - 1 + ImageTokens + step);
        return total;
    }

    /// <summary>
    /// Greedy decoding with the step graph: one forward over the prompt, then per generated token a
    /// step that feeds the S tokens so far against the cached P positions.
    /// </summary>
    public double AnswerCached(int promptLength, int generatedTokens)
    {
        int past = promptLength - 1 + ImageTokens;
        double total = LanguageForward(past);
        for (int s = 1; s <= generatedTokens; s++) total += LanguageStep(past, s);
        return total;
    }

    /// <summary>One run of the step graph: <paramref name="count"/> new tokens attending to <paramref name="past"/> cached ones and each other.</summary>
    public double LanguageStep(int past, int count)
    {
        double s = count, d = LmWidth;
        double layer = 2.0 * s * (4.0 * d * d + 3.0 * d * LmMlpHidden) + 4.0 * s * (past + s) * d;
        return LmDepth * layer + 2.0 * s * d * VocabSize;
    }
}
