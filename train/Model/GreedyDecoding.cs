using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>Greedy decoding without a KV cache: at this scale recomputing the prefix is cheap.</summary>
public static class GreedyDecoding
{
    /// <param name="imageEmbeddings">(B, M, Dl)</param>
    /// <param name="promptIds">(B, T) int64 with one image placeholder per row, right-padded when promptMask is given.</param>
    /// <param name="promptMask">(B, T), 1 = real prompt token; null = every prompt is T long.</param>
    /// <returns>Per row, the generated ids up to (not including) EOS, at most maxNewTokens.</returns>
    public static long[][] GenerateGreedy(
        this VisionLanguageModel model, Tensor imageEmbeddings, Tensor promptIds, int maxNewTokens, long eosId, Tensor? promptMask = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (b, t, m) = ((int)promptIds.shape[0], (int)promptIds.shape[1], imageEmbeddings.shape[1]);
        var ids = promptIds.cpu().to(int64).data<long>().ToArray();
        var lengths = promptMask is null ? Enumerable.Repeat(t, b).ToArray()
            : promptMask.Ne(0).sum(1).cpu().to(int64).data<long>().Select(n => (int)n).ToArray();
        var rows = Enumerable.Range(0, b).Select(r => ids.Skip(r * t).Take(lengths[r]).ToList()).ToArray();
        var generated = Enumerable.Range(0, b).Select(_ => new List<long>()).ToArray();
        var done = new bool[b];
        // Padding only needs to differ from the placeholder: it is masked out.
        long pad = model.Config.ImageTokenId == 0 ? 1 : 0;

        for (int step = 0; step < maxNewTokens && !done.All(d => d); step++)
        {
            using var stepScope = NewDisposeScope();
            int width = rows.Max(r => r.Count);
            var batch = rows.SelectMany(r => r.Concat(Enumerable.Repeat(pad, width - r.Count))).ToArray();
            var mask = rows.SelectMany(r => Enumerable.Range(0, width).Select(i => i < r.Count ? 1L : 0L)).ToArray();
            var input = tensor(batch, [b, width], device: promptIds.device);
            var output = model.call(imageEmbeddings, input, tensor(mask, [b, width], device: promptIds.device), VlmOptions.None);
            // A row's last real token sits at (its length - 1) + (M - 1) in the spliced sequence.
            var last = tensor(rows.Select(r => r.Count + m - 2).ToArray(), device: promptIds.device);
            var next = output.Logits[HeldScalars.Arange(b, device: promptIds.device), last].argmax(-1).cpu().data<long>().ToArray();  // (B)
            for (int r = 0; r < b; r++)
            {
                if (done[r]) continue;
                if (next[r] == eosId) { done[r] = true; continue; }
                rows[r].Add(next[r]);
                generated[r].Add(next[r]);
            }
        }
        return generated.Select(g => g.ToArray()).ToArray();
    }
}
