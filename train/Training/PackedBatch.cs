using Pipeline.Train.Text;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>
/// Examples about one image in one row: the shared prefix (bos, image) once, then each example (a
/// question with its answer, or a caption). Segment 0 is the prefix, k the k-th example; Position is
/// each token's index in its example's own unpacked row, so that attention and RoPE see exactly what
/// they would unpacked.
/// </summary>
public sealed record PackedExample(long[] Ids, bool[] Target, long[] Segment, long[] Position, int Examples)
{
    /// <param name="prefixLength">Tokens every example starts with (bos, image placeholder).</param>
    /// <param name="examples">Unpacked rows, each beginning with the same prefix.</param>
    public static PackedExample Pack(IReadOnlyList<Example> examples, int prefixLength)
    {
        var first = examples[0].Ids[..prefixLength];
        var ids = new List<long>(first);
        var target = new List<bool>(new bool[prefixLength]);
        var segment = new List<long>(new long[prefixLength]);
        var position = new List<long>(Enumerable.Range(0, prefixLength).Select(i => (long)i));
        for (int k = 0; k < examples.Count; k++)
        {
            var q = examples[k];
            if (!q.Ids.AsSpan(0, prefixLength).SequenceEqual(first))
                throw new ArgumentException("Packed examples must share their prefix (bos, image).", nameof(examples));
            for (int j = prefixLength; j < q.Ids.Length; j++)
            {
                ids.Add(q.Ids[j]);
                target.Add(q.Target[j]);
                segment.Add(k + 1);
                position.Add(j);
            }
        }
        return new PackedExample([.. ids], [.. target], [.. segment], [.. position], examples.Count);
    }
}

/// <summary>Packed rows right-padded to the longest: ids, labels (-100 off target), segments (-1 on padding), positions.</summary>
public sealed record PackedBatch(Tensor Ids, Tensor Labels, Tensor Segments, Tensor Positions) : IDisposable
{
    public static PackedBatch From(IReadOnlyList<PackedExample> rows, long padId)
    {
        int b = rows.Count, t = rows.Max(r => r.Ids.Length);
        var ids = new long[b * t];
        var labels = new long[b * t];
        var segments = new long[b * t];
        var positions = new long[b * t];
        Array.Fill(ids, padId);
        Array.Fill(labels, TokenBatch.IgnoreIndex);
        Array.Fill(segments, -1L);
        for (int i = 0; i < b; i++)
        {
            var r = rows[i];
            for (int j = 0; j < r.Ids.Length; j++)
            {
                ids[i * t + j] = r.Ids[j];
                if (r.Target[j]) labels[i * t + j] = r.Ids[j];
                segments[i * t + j] = r.Segment[j];
                positions[i * t + j] = r.Position[j];
            }
        }
        return new PackedBatch(tensor(ids, [b, t]), tensor(labels, [b, t]), tensor(segments, [b, t]), tensor(positions, [b, t]));
    }

    public void Dispose()
    {
        Ids.Dispose();
        Labels.Dispose();
        Segments.Dispose();
        Positions.Dispose();
    }
}
