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
        return new ReferenceOutputs(vision, language);
    }
}
