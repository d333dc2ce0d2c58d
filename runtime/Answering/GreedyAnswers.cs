using System.Diagnostics;

namespace Pipeline.Runtime;

/// <summary>Greedy answers to a list of questions: ids, text, and the seconds spent encoding and decoding.</summary>
public sealed record AnswerRun(long[][] Ids, string[] Texts, double VisionSeconds, double DecodeSeconds)
{
    public double QuestionsPerSecond => Ids.Length / Math.Max(VisionSeconds + DecodeSeconds, 1e-9);
}

/// <summary>
/// The one way questions about images are answered, by any <see cref="IAnswerer"/>: every image
/// encoded once, then consecutive questions decoded in batches, each with its image's tokens
/// (optionally reordered by a permutation per question); batches run side by side where the
/// answerer allows it.
/// </summary>
public static class GreedyAnswers
{
    /// <summary>Questions per decoding batch.</summary>
    public const int BatchSize = 64;

    /// <summary>Every 2DS answer is one or two words.</summary>
    public const int MaxAnswerTokens = 3;

    /// <summary>The images through the answerer in batches: (images, M, D).</summary>
    public static HostTensor EncodeAll(IAnswerer answerer, HostTensor pixels, int batchSize = BatchSize)
    {
        ArgumentNullException.ThrowIfNull(answerer);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int n = (int)pixels.Shape[0];
        var parts = new HostTensor[(n + batchSize - 1) / batchSize];
        ForEachBatch(answerer, parts.Length, i =>
        {
            int start = i * batchSize;
            parts[i] = answerer.EncodeImages(HostRows.Gather(pixels, Enumerable.Range(start, Math.Min(batchSize, n - start)).ToArray()));
        });
        return HostRows.Concat(parts);
    }

    /// <summary>Answers from pixels: the images the questions ask about are encoded once, then the questions are answered.</summary>
    /// <param name="pixels">(images, 3, H, W).</param>
    /// <param name="imageRows">Question i asks about image imageRows[i].</param>
    public static AnswerRun FromPixels(IAnswerer answerer, HostTensor pixels, IReadOnlyList<int> imageRows, IReadOnlyList<long[]> prompts,
        int batchSize = BatchSize, int maxNewTokens = MaxAnswerTokens)
    {
        var clock = Stopwatch.StartNew();
        var used = imageRows.Distinct().ToArray();
        var position = used.Select((row, i) => (row, i)).ToDictionary(p => p.row, p => p.i);
        var tokens = EncodeAll(answerer, HostRows.Gather(pixels, used), batchSize);
        double vision = clock.Elapsed.TotalSeconds;
        var run = Run(answerer, tokens, imageRows.Select(r => position[r]).ToArray(), prompts, batchSize, maxNewTokens);
        return run with { VisionSeconds = vision };
    }

    /// <summary>Answers question i about image imageRows[i] of <paramref name="imageTokens"/>.</summary>
    /// <param name="imageTokens">(images, M, D) as <see cref="EncodeAll"/> returns them.</param>
    /// <param name="permutationOf">Question i's tokens are reordered by permutationOf(i); null keeps their order.</param>
    public static AnswerRun Run(IAnswerer answerer, HostTensor imageTokens, IReadOnlyList<int> imageRows, IReadOnlyList<long[]> prompts,
        int batchSize = BatchSize, int maxNewTokens = MaxAnswerTokens, Func<int, int[]>? permutationOf = null)
    {
        ArgumentNullException.ThrowIfNull(answerer);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (imageRows.Count != prompts.Count) throw new ArgumentException($"{prompts.Count} prompts but {imageRows.Count} image rows", nameof(imageRows));
        var clock = Stopwatch.StartNew();
        var ids = new long[prompts.Count][];
        ForEachBatch(answerer, (prompts.Count + batchSize - 1) / batchSize, i =>
        {
            int start = i * batchSize, n = Math.Min(batchSize, prompts.Count - start);
            var batch = Batch(imageTokens, imageRows, start, n, permutationOf);
            answerer.Generate(batch, prompts.Skip(start).Take(n).ToArray(), maxNewTokens).CopyTo(ids, start);
        });
        return new AnswerRun(ids, ids.Select(answerer.Decode).ToArray(), 0, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Batches 0 … count − 1, as many at once as the answerer allows; each writes only its own slots,
    /// so the result does not depend on the order they finish in.
    /// </summary>
    static void ForEachBatch(IAnswerer answerer, int count, Action<int> body)
    {
        if (answerer.ConcurrentBatches <= 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = answerer.ConcurrentBatches }, body);
    }

    /// <summary>The image tokens questions [start, start + n) get: each one's image row, reordered by its permutation if any. (n, M, D)</summary>
    public static HostTensor Batch(HostTensor imageTokens, IReadOnlyList<int> imageRows, int start, int n, Func<int, int[]>? permutationOf)
    {
        var batch = HostRows.Gather(imageTokens, Enumerable.Range(start, n).Select(i => imageRows[i]).ToArray());  // (n, M, D)
        return permutationOf is null ? batch : HostRows.PermuteTokens(batch, Enumerable.Range(start, n).Select(permutationOf).ToArray());
    }
}
