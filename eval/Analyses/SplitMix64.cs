namespace Pipeline.Eval;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014; the constants of Vigna's reference C code): a tiny, fully
/// specified generator, so seeded results never depend on the .NET version.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n): rejection sampling removes the modulo bias.</summary>
    public ulong NextBelow(ulong n)
    {
        if (n == 0)
            throw new ArgumentOutOfRangeException(nameof(n), "The range is empty.");
        ulong limit = ulong.MaxValue - ulong.MaxValue % n;
        ulong x;
        do x = Next(); while (x >= limit);
        return x % n;
    }
}
