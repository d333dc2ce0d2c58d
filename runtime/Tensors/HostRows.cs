namespace Pipeline.Runtime;

/// <summary>Row selection and reordering on host tensors: which image each question's batch row shows, and its tokens' order.</summary>
public static class HostRows
{
    public static HostTensor Gather(HostTensor t, IReadOnlyList<int> rows)
    {
        long rowSize = t.Count / t.Shape[0];
        long[] shape = [rows.Count, .. t.Shape[1..]];
        if (t.Type == ElementType.Float32)
        {
            var data = new float[rows.Count * rowSize];
            for (int i = 0; i < rows.Count; i++) Array.Copy(t.Floats, rows[i] * rowSize, data, i * rowSize, rowSize);
            return HostTensor.Float(shape, data);
        }
        var longs = new long[rows.Count * rowSize];
        for (int i = 0; i < rows.Count; i++) Array.Copy(t.Longs, rows[i] * rowSize, longs, i * rowSize, rowSize);
        return HostTensor.Int64(shape, longs);
    }

    /// <summary>Concatenates float tensors along their leading axis.</summary>
    public static HostTensor Concat(IReadOnlyList<HostTensor> parts)
    {
        long[] shape = [parts.Sum(p => p.Shape[0]), .. parts[0].Shape[1..]];
        return HostTensor.Float(shape, parts.SelectMany(p => p.Floats).ToArray());
    }

    /// <summary>Reorders the tokens of each row by its own permutation: output[b, i, :] = input[b, perms[b][i], :] (PyTorch's <c>x[b, perm]</c>).</summary>
    /// <param name="tokens">float32 (B, M, D).</param>
    public static HostTensor PermuteTokens(HostTensor tokens, IReadOnlyList<int[]> perms)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(perms);
        if (tokens.Type != ElementType.Float32 || tokens.Shape.Length != 3)
            throw new ArgumentException($"Expected float32 (B, M, D) embeddings, got {tokens}.", nameof(tokens));
        long b = tokens.Shape[0], m = tokens.Shape[1], d = tokens.Shape[2];
        if (perms.Count != b) throw new ArgumentException($"{perms.Count} permutations for {b} rows.", nameof(perms));
        var src = tokens.Floats;
        var dst = new float[src.Length];
        for (int r = 0; r < b; r++)
        {
            RequirePermutation(perms[r], m);
            for (long i = 0; i < m; i++)
                Array.Copy(src, (r * m + perms[r][i]) * d, dst, (r * m + i) * d, d);
        }
        return HostTensor.Float((long[])tokens.Shape.Clone(), dst);
    }

    /// <summary>Throws unless <paramref name="perm"/> is a bijection of 0..m−1.</summary>
    public static void RequirePermutation(int[] perm, long m)
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
