using Pipeline.Data;

namespace Pipeline.Train.Training;

/// <summary>
/// The examples of step s, computed from s alone: a fresh shuffle per epoch from (seed, epoch).
/// Resuming at step s therefore sees exactly the batches an uninterrupted run would.
/// </summary>
public sealed class BatchSampler(int count, int batchSize, ulong seed, string stream)
{
    int _epoch = -1;
    long[] _order = [];

    public long[] Indices(int step)
    {
        var batch = new long[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            long position = (long)step * batchSize + i;
            int epoch = (int)(position / count);
            if (epoch != _epoch) Reshuffle(epoch);
            batch[i] = _order[position % count];
        }
        return batch;
    }

    void Reshuffle(int epoch)
    {
        _epoch = epoch;
        _order = Rng.For(stream, seed, epoch).Shuffle(Enumerable.Range(0, count).Select(i => (long)i));
    }
}
