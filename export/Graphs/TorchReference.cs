using Pipeline.Runtime;
using Pipeline.Train.Model;
using static Pipeline.Runtime.ArtifactNames;
using static TorchSharp.torch;

namespace Pipeline.Export.Graphs;

/// <summary>What the TorchSharp model computes for each graph output, keyed by the graphs' tensor names.</summary>
public sealed record ReferenceOutputs(IReadOnlyDictionary<string, HostTensor> Vision, IReadOnlyDictionary<string, HostTensor> Language);

/// <summary>
/// Runs the TorchSharp model in eval mode with every intermediate requested: the ground truth the
/// test vectors record and the parity tests compare ONNX Runtime against.
/// </summary>
public static class TorchReference
{
    /// <param name="pixels">(B, C, H, W) float32, normalised.</param>
    /// <param name="inputIds">(B, T) int64, one placeholder per row, right-padded.</param>
    /// <param name="attentionMask">(B, T) int64.</param>
    public static ReferenceOutputs Run(VisionLanguageModel model, HostTensor pixels, HostTensor inputIds, HostTensor attentionMask)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var output = model.ForwardPixels(HostTensors.ToTorch(pixels), HostTensors.ToTorch(inputIds), HostTensors.ToTorch(attentionMask), VlmOptions.All);
        var vision = new Dictionary<string, HostTensor>
        {
            [ImageEmbeddings] = HostTensors.ToHost(output.ImageEmbeddings!),
            [EncoderFeatures] = HostTensors.ToHost(output.EncoderFeatures!),
            [ProjectorOutput] = HostTensors.ToHost(output.ProjectorOutput!),
        };
        if (output.AdapterOutput is { } adapted) vision[AdapterOutput] = HostTensors.ToHost(adapted);
        var language = new Dictionary<string, HostTensor>
        {
            [Logits] = HostTensors.ToHost(output.Logits),
            [TextEmbeddings] = HostTensors.ToHost(output.TextEmbeddings!),
            [ImageStart] = HostTensors.ToHost(output.ImageStart),
            [HiddenStates] = HostTensors.ToHost(output.HiddenStates!),
        };
        for (int i = 0; i < output.Attentions!.Count; i++) language[AttentionProbs(i)] = HostTensors.ToHost(output.Attentions[i]);
        for (int i = 0; i < output.KeyValues!.Count; i++)
        {
            language[PresentKey(i)] = HostTensors.ToHost(output.KeyValues[i].Key);
            language[PresentValue(i)] = HostTensors.ToHost(output.KeyValues[i].Value);
        }
        return new ReferenceOutputs(vision, language);
    }

    /// <summary>
    /// What the step graph must give: the logits of the full forward over each prompt followed by
    /// its new tokens, read at the new tokens' positions (no cache on this side).
    /// </summary>
    /// <param name="imageEmbeddings">(B, M, D)</param>
    /// <param name="prompts">B prompts, unpadded, one placeholder each.</param>
    /// <param name="newTokens">B rows of S tokens each.</param>
    /// <returns>(B, S, V)</returns>
    public static HostTensor StepLogits(VisionLanguageModel model, HostTensor imageEmbeddings, IReadOnlyList<long[]> prompts, IReadOnlyList<long[]> newTokens, long padId)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var (ids, mask) = PromptBatch.PadRight(prompts.Zip(newTokens, (p, n) => p.Concat(n).ToArray()).ToArray(), padId);
        var output = model.call(HostTensors.ToTorch(imageEmbeddings), HostTensors.ToTorch(ids), HostTensors.ToTorch(mask), VlmOptions.None);
        long m = imageEmbeddings.Shape[1];
        int s = newTokens[0].Length;
        // Row r's first new token sits at (its prompt's length) + (M − 1) in the spliced sequence.
        var rows = HeldScalars.Arange(prompts.Count).unsqueeze(1);                                                                   // (B, 1)
        var positions = tensor(prompts.SelectMany(p => Enumerable.Range(0, s).Select(i => p.Length + m - 1 + i)).ToArray(), [prompts.Count, s]);  // (B, S)
        return HostTensors.ToHost(output.Logits[rows, positions]);                                                           // (B, S, V)
    }
}
