namespace Pipeline.Runtime;

/// <summary>A batch of prompts of different lengths as the language graph takes them.</summary>
public static class PromptBatch
{
    /// <summary>Each prompt followed by <paramref name="padId"/> up to the longest: (B, T) input_ids, and an attention mask that is 1 on real tokens.</summary>
    public static (HostTensor Ids, HostTensor Mask) PadRight(IReadOnlyList<IReadOnlyList<long>> prompts, long padId)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0 || prompts.Any(p => p is null || p.Count == 0))
            throw new ArgumentException("every prompt needs at least one token (the image placeholder)", nameof(prompts));
        int b = prompts.Count, width = prompts.Max(p => p.Count);
        var ids = new long[b * width];
        var mask = new long[b * width];
        Array.Fill(ids, padId);
        for (int r = 0; r < b; r++)
        {
            for (int t = 0; t < prompts[r].Count; t++) ids[r * width + t] = prompts[r][t];
            mask.AsSpan(r * width, prompts[r].Count).Fill(1);
        }
        return (HostTensor.Int64([b, width], ids), HostTensor.Int64([b, width], mask));
    }
}
