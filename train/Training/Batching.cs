using Pipeline.Train.Text;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>A padded batch: ids (B, T), attention mask (B, T), labels (B, T) with -100 outside the targets.</summary>
public sealed record TokenBatch(Tensor Ids, Tensor Mask, Tensor Labels) : IDisposable
{
    public const long IgnoreIndex = -100;

    /// <summary>Right-pads the examples to the longest; labels keep only the target tokens.</summary>
    public static TokenBatch From(IReadOnlyList<Example> examples, long padId)
    {
        int b = examples.Count, t = examples.Max(e => e.Ids.Length);
        var ids = new long[b * t];
        var mask = new long[b * t];
        var labels = new long[b * t];
        Array.Fill(ids, padId);
        Array.Fill(labels, IgnoreIndex);
        for (int i = 0; i < b; i++)
        {
            var e = examples[i];
            for (int j = 0; j < e.Ids.Length; j++)
            {
                ids[i * t + j] = e.Ids[j];
                mask[i * t + j] = 1;
                if (e.Target[j]) labels[i * t + j] = e.Ids[j];
            }
        }
        return new TokenBatch(tensor(ids, [b, t]), tensor(mask, [b, t]), tensor(labels, [b, t]));
    }

    /// <summary>Prompts only, right-padded, for decoding.</summary>
    public static (Tensor Ids, Tensor Mask) Prompts(IReadOnlyList<long[]> prompts, long padId)
    {
        var batch = From(prompts.Select(p => new Example(p, new bool[p.Length])).ToArray(), padId);
        batch.Labels.Dispose();
        return (batch.Ids, batch.Mask);
    }

    public void Dispose()
    {
        Ids.Dispose();
        Mask.Dispose();
        Labels.Dispose();
    }
}
