using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>
/// LLaVA's prepare_inputs_labels_for_multimodal as one gather: output position j of a row whose
/// placeholder is at p reads text j (j &lt; p), image j - p (p ≤ j &lt; p + M) or text j - M + 1.
/// </summary>
public static class ImageSplice
{
    public const long IgnoreIndex = -100;

    /// <summary>(B) int64 position of each row's placeholder; throws unless every row has exactly one.</summary>
    public static Tensor ImageStart(Tensor inputIds, long imageTokenId)
    {
        using var scope = NewDisposeScope();
        var isImage = inputIds.Eq(imageTokenId).to(int64);  // (B, T)
        var counts = isImage.sum(1).cpu().data<long>().ToArray();
        for (int b = 0; b < counts.Length; b++)
            if (counts[b] != 1)
                throw new ArgumentException($"Row {b} holds {counts[b]} image placeholders (id {imageTokenId}); exactly one is required.", nameof(inputIds));
        return isImage.argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>(B, T + M - 1) int64 index into cat(text (B, T), image (B, M)) along dim 1.</summary>
    public static Tensor SourceIndex(Tensor imageStart, long textLength, long numImageTokens)
    {
        using var scope = NewDisposeScope();
        var length = textLength + numImageTokens - 1;
        var j = HeldScalars.Arange(length, int64, imageStart.device).unsqueeze(0);     // (1, L)
        var p = imageStart.unsqueeze(1);                                                 // (B, 1)
        var afterImage = j.Minus(numImageTokens - 1);
        var inImage = (j - p).Plus(textLength);
        var index = where(j.lt(p), j, where(j.lt(p.Plus(numImageTokens)), inImage, afterImage));
        return index.MoveToOuterDisposeScope();                                          // (B, L)
    }

    /// <summary>Splices image rows (B, M, ...) into text rows (B, T, ...) → (B, T + M - 1, ...).</summary>
    public static Tensor Splice(Tensor text, Tensor image, Tensor sourceIndex)
    {
        using var scope = NewDisposeScope();
        var both = cat([text, image.to(text.dtype)], dim: 1);  // (B, T + M, ...)
        var index = sourceIndex;
        for (int d = 2; d < both.dim(); d++) index = index.unsqueeze(-1);
        index = index.expand([.. sourceIndex.shape, .. both.shape.Skip(2)]);
        return both.gather(1, index).MoveToOuterDisposeScope();
    }

    /// <summary>Labels (B, T) aligned to the text → (B, T + M - 1) aligned to the spliced sequence, IgnoreIndex on the image span.</summary>
    public static Tensor SpliceLabels(Tensor labels, Tensor inputIds, long imageTokenId, long numImageTokens)
    {
        using var scope = NewDisposeScope();
        var start = ImageStart(inputIds, imageTokenId);
        var source = SourceIndex(start, inputIds.shape[1], numImageTokens);
        var ignore = HeldScalars.Full([labels.shape[0], numImageTokens], IgnoreIndex, labels.dtype, labels.device);
        return Splice(labels, ignore, source).MoveToOuterDisposeScope();
    }
}
