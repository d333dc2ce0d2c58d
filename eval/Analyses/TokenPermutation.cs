using Pipeline.Runtime;

namespace Pipeline.Eval;

/// <summary>
/// The paper's Table 1 permutation test: shuffle the vision tokens after the adapter (authors' code)
/// with one permutation shared by every row of the batch, and see how much accuracy is lost.
/// Permutations come from our own SplitMix64 + Fisher–Yates rather than System.Random, whose seeded
/// sequence is an implementation detail of .NET: the same (m, seed) gives the same permutation on
/// every machine and every runtime version, so a reported seed reproduces its row.
/// </summary>
public static class TokenPermutation
{
    /// <summary>A uniformly random permutation of 0..m−1, fixed by <paramref name="seed"/>.</summary>
    public static int[] Create(int m, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        var perm = Enumerable.Range(0, m).ToArray();
        var rng = new SplitMix64((ulong)(uint)seed);
        for (int i = m - 1; i > 0; i--)
        {
            int j = (int)rng.NextBelow((ulong)i + 1);
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }
        return perm;
    }

    /// <summary>
    /// A fresh permutation for each question, as the authors' code draws one per forward call
    /// (their evaluation answers one question a call): question <paramref name="index"/> of the run
    /// with <paramref name="seed"/>, reproducible on every machine.
    /// </summary>
    public static int[] ForQuestion(int m, int seed, int index) =>
        Create(m, (int)(uint)new SplitMix64(((ulong)(uint)seed << 32) | (uint)index).NextBelow(uint.MaxValue));

    /// <summary>Reorders the tokens of each row by its own permutation: output[b, i, :] = input[b, perms[b][i], :].</summary>
    public static HostTensor PermuteRows(HostTensor embeddings, IReadOnlyList<int[]> perms)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Type != ElementType.Float32 || embeddings.Shape.Length != 3)
            throw new ArgumentException($"Expected float32 (B, M, D) embeddings, got {embeddings}.", nameof(embeddings));
        long b = embeddings.Shape[0], m = embeddings.Shape[1], d = embeddings.Shape[2];
        if (perms.Count != b) throw new ArgumentException($"{perms.Count} permutations for {b} rows.", nameof(perms));
        var src = embeddings.Floats;
        var dst = new float[src.Length];
        for (int r = 0; r < b; r++)
        {
            Validate(perms[r], m);
            for (long i = 0; i < m; i++)
                Array.Copy(src, (r * m + perms[r][i]) * d, dst, (r * m + i) * d, d);
        }
        return HostTensor.Float((long[])embeddings.Shape.Clone(), dst);
    }

    /// <summary>The permutation that undoes <paramref name="perm"/>: Permute(Permute(x, p), Inverse(p)) = x.</summary>
    public static int[] Inverse(int[] perm)
    {
        Validate(perm, perm.Length);
        var inv = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++)
            inv[perm[i]] = i;
        return inv;
    }

    /// <summary>
    /// Reorders the tokens of every row: output[b, i, :] = input[b, perm[i], :] (PyTorch's
    /// <c>x[:, perm]</c>). The same permutation for the whole batch, as in the authors' code.
    /// </summary>
    /// <param name="embeddings">float32 (B, M, D) vision tokens after the adapter.</param>
    /// <param name="perm">A permutation of 0..M−1.</param>
    public static HostTensor Permute(HostTensor embeddings, int[] perm)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Type != ElementType.Float32 || embeddings.Shape.Length != 3)
            throw new ArgumentException($"Expected float32 (B, M, D) embeddings, got {embeddings}.", nameof(embeddings));
        long b = embeddings.Shape[0], m = embeddings.Shape[1], d = embeddings.Shape[2];
        Validate(perm, m);
        var src = embeddings.Floats;
        var dst = new float[src.Length];
        for (long r = 0; r < b; r++)
            for (long i = 0; i < m; i++)
                Array.Copy(src, (r * m + perm[i]) * d, dst, (r * m + i) * d, d);
        return HostTensor.Float((long[])embeddings.Shape.Clone(), dst);
    }

    static void Validate(int[] perm, long m)
    {
        ArgumentNullException.ThrowIfNull(perm);
        if (perm.Length != m)
            throw new ArgumentException($"Permutation of {perm.Length} for {m} tokens.", nameof(perm));
        var seen = new bool[perm.Length];
        foreach (int p in perm)
        {
            if (p < 0 || p >= perm.Length || seen[p])
                throw new ArgumentException($"Not a permutation of 0..{perm.Length - 1}: {p} is out of range or repeated.", nameof(perm));
            seen[p] = true;
        }
    }
}
