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
        var output = model.ForwardPixels(ToTorch(pixels), ToTorch(inputIds), ToTorch(attentionMask), VlmOptions.All);
        var vision = new Dictionary<string, HostTensor>
        {
            [ImageEmbeddings] = ToHost(output.ImageEmbeddings!),
            [EncoderFeatures] = ToHost(output.EncoderFeatures!),
            [ProjectorOutput] = ToHost(output.ProjectorOutput!),
        };
        if (output.AdapterOutput is { } adapted) vision[AdapterOutput] = ToHost(adapted);
        var language = new Dictionary<string, HostTensor>
        {
            [Logits] = ToHost(output.Logits),
            [TextEmbeddings] = ToHost(output.TextEmbeddings!),
            [ImageStart] = ToHost(output.ImageStart),
            [HiddenStates] = ToHost(output.HiddenStates!),
        };
        for (int i = 0; i < output.Attentions!.Count; i++) language[AttentionProbs(i)] = ToHost(output.Attentions[i]);
        return new ReferenceOutputs(vision, language);
    }

    public static Tensor ToTorch(HostTensor t) => t.Type switch
    {
        ElementType.Float32 => tensor(t.Floats, t.Shape),
        ElementType.Int64 => tensor(t.Longs, t.Shape),
        _ => throw new ArgumentOutOfRangeException(nameof(t), t.Type, "Unsupported element type."),
    };

    public static HostTensor ToHost(Tensor t)
    {
        using var scope = NewDisposeScope();
        var c = t.detach().cpu().contiguous();
        return c.dtype switch
        {
            ScalarType.Float32 => HostTensor.Float(c.shape, c.data<float>().ToArray()),
            ScalarType.Int64 => HostTensor.Int64(c.shape, c.data<long>().ToArray()),
            var other => throw new ArgumentException($"Artifacts hold float32 and int64 tensors, not {other}.", nameof(t)),
        };
    }
}
