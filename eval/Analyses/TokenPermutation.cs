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

    /// <summary>The permutation that undoes <paramref name="perm"/>: Permute(Permute(x, p), Inverse(p)) = x.</summary>
    public static int[] Inverse(int[] perm)
    {
        HostRows.RequirePermutation(perm, perm.Length);
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
        return HostRows.PermuteTokens(embeddings, Enumerable.Repeat(perm, embeddings.Shape.Length == 3 ? (int)embeddings.Shape[0] : 0).ToArray());
    }
}
