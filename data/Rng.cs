namespace Pipeline.Data;

/// <summary>
/// SplitMix64: a tiny deterministic generator. System.Random's seeded sequence is not promised
/// to stay the same across .NET versions, and "2DS-test" must mean the same bytes everywhere.
/// </summary>
public sealed class Rng
{
    ulong _state;

    public Rng(ulong seed) => _state = seed;

    /// <summary>A stream for one item of one split, independent of every other item.</summary>
    public static Rng For(string stream, ulong seed, long index)
    {
        ulong h = 14695981039346656037UL; // FNV-1a over the stream name keeps splits disjoint
        foreach (char c in stream) h = (h ^ c) * 1099511628211UL;
        var mixer = new Rng(h ^ Mix(seed) ^ Mix((ulong)index * 0x9E3779B97F4A7C15UL + 1));
        return new Rng(mixer.NextUInt64());
    }

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64() => Mix(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform integer in [minInclusive, maxExclusive).</summary>
    public int Next(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        ulong range = (ulong)(maxExclusive - minInclusive);
        return minInclusive + (int)(NextUInt64() % range); // bias < 2^-40 for our ranges
    }

    public int Next(int maxExclusive) => Next(0, maxExclusive);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool NextBool() => (NextUInt64() & 1) == 1;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Fisher–Yates shuffle into a new array.</summary>
    public T[] Shuffle<T>(IEnumerable<T> items)
    {
        var a = items.ToArray();
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
        return a;
    }
}
