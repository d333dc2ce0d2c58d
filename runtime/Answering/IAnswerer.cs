namespace Pipeline.Runtime;

/// <summary>
/// A vision-language model that answers greedily: ONNX Runtime on an artifact, or TorchSharp on a
/// checkpoint. <see cref="GreedyAnswers"/> drives either the same way, so that their answers can be
/// compared question for question.
/// </summary>
public interface IAnswerer
{
    /// <summary>(B, M, D) image tokens as the language model receives them, from (B, 3, H, W) normalised pixels.</summary>
    HostTensor EncodeImages(HostTensor pixels);

    /// <summary>Per row, the greedy answer's ids up to (not including) EOS, at most <paramref name="maxNewTokens"/>.</summary>
    /// <param name="imageTokens">(B, M, D), one row per prompt.</param>
    /// <param name="prompts">B prompts of token ids, each with one image placeholder, unpadded.</param>
    long[][] Generate(HostTensor imageTokens, IReadOnlyList<long[]> prompts, int maxNewTokens);

    /// <summary>Answer ids as text.</summary>
    string Decode(long[] ids);

    /// <summary>How many batches may be encoded or generated at once, from as many threads.</summary>
    int ConcurrentBatches => 1;
}
