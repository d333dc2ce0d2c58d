using Pipeline.Runtime;

namespace Pipeline.Eval;

/// <summary>
/// How much of each vision token's grid position a linear read-out recovers: R² of ridge
/// regressions from a token's vector to its row and to its column, fitted on the even-numbered
/// images and scored on the odd ones (a split by halves would fit and score different object
/// counts where a split is ordered by them). RoPE gives the language model a token's position only in
/// attention scores; a relative question ("is the red object left of the blue one?") needs the
/// position in the token's value, which is what this measures.
/// </summary>
public static class PositionProbe
{
    /// <summary>Ridge strength as a fraction of the mean feature variance: small, only to keep the solve stable.</summary>
    public const double RelativeRidge = 1e-3;

    /// <summary>Whether <see cref="Measure"/> can read these tokens: at least two images, and a square grid of side ≥ 2 (a 1×1 pooled grid has no position).</summary>
    public static bool Applies(HostTensor tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Shape.Length != 3 || tokens.Shape[0] < 2) return false;
        int grid = (int)Math.Round(Math.Sqrt(tokens.Shape[1]));
        return grid >= 2 && grid * grid == tokens.Shape[1];
    }

    /// <summary>R² for row and column over tokens (images, grid², D), the grid read row-major.</summary>
    /// <exception cref="ArgumentException">Not float32 (I, N, D) with N a square, or fewer than two images.</exception>
    public static PositionFit Measure(HostTensor tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Type != ElementType.Float32 || tokens.Shape.Length != 3)
            throw new ArgumentException($"Expected float32 (images, tokens, D), got {tokens}.", nameof(tokens));
        int images = (int)tokens.Shape[0], n = (int)tokens.Shape[1], d = (int)tokens.Shape[2];
        int grid = (int)Math.Round(Math.Sqrt(n));
        if (grid * grid != n || grid < 2)
            throw new ArgumentException($"{n} tokens per image do not form a square grid of side ≥ 2.", nameof(tokens));
        if (images < 2) throw new ArgumentException("The probe needs at least two images (one to fit, one to score).", nameof(tokens));
        var x = tokens.Floats;
        int[] fit = Rows(images, n, parity: 0), held = Rows(images, n, parity: 1);
        double Row(int r) => r % n / grid;
        double Column(int r) => r % n % grid;
        var mean = ColumnMeans(x, fit, d);
        var gram = Gram(x, fit, d, mean);
        Cholesky(gram, d);
        return new PositionFit(grid,
            Score(x, held, d, mean, Solve(gram, x, fit, d, mean, Row, out double rowMean), rowMean, Row),
            Score(x, held, d, mean, Solve(gram, x, fit, d, mean, Column, out double columnMean), columnMean, Column));
    }

    /// <summary>The token rows of every image whose index has the given parity.</summary>
    static int[] Rows(int images, int n, int parity) =>
        Enumerable.Range(0, images).Where(i => i % 2 == parity).SelectMany(i => Enumerable.Range(i * n, n)).ToArray();

    static double[] ColumnMeans(float[] x, int[] rows, int d)
    {
        var mean = new double[d];
        foreach (int r in rows)
            for (int j = 0; j < d; j++) mean[j] += x[r * d + j];
        for (int j = 0; j < d; j++) mean[j] /= rows.Length;
        return mean;
    }

    /// <summary>Centred XᵀX plus the ridge on the diagonal, (D, D) row-major.</summary>
    static double[] Gram(float[] x, int[] rows, int d, double[] mean)
    {
        var g = new double[d * d];
        var centred = new double[d];
        foreach (int r in rows)
        {
            for (int j = 0; j < d; j++) centred[j] = x[r * d + j] - mean[j];
            for (int i = 0; i < d; i++)
            {
                double ci = centred[i];
                if (ci == 0) continue;
                int row = i * d;
                for (int j = 0; j <= i; j++) g[row + j] += ci * centred[j];
            }
        }
        double trace = 0;
        for (int i = 0; i < d; i++) trace += g[i * d + i];
        double ridge = RelativeRidge * Math.Max(trace / d, 1e-12);
        for (int i = 0; i < d; i++)
        {
            g[i * d + i] += ridge;
            for (int j = 0; j < i; j++) g[j * d + i] = g[i * d + j];
        }
        return g;
    }

    /// <summary>In place: the lower triangle becomes L with LLᵀ = G (G is positive definite thanks to the ridge).</summary>
    static void Cholesky(double[] g, int d)
    {
        for (int j = 0; j < d; j++)
        {
            double s = g[j * d + j];
            for (int k = 0; k < j; k++) s -= g[j * d + k] * g[j * d + k];
            double l = Math.Sqrt(s);
            g[j * d + j] = l;
            for (int i = j + 1; i < d; i++)
            {
                double t = g[i * d + j];
                for (int k = 0; k < j; k++) t -= g[i * d + k] * g[j * d + k];
                g[i * d + j] = t / l;
            }
        }
    }

    /// <summary>Ridge weights for one target: solves LLᵀw = Xᵀ(y − ȳ) on the fitting rows.</summary>
    static double[] Solve(double[] l, float[] x, int[] rows, int d, double[] mean, Func<int, double> target, out double targetMean)
    {
        targetMean = rows.Average(target);
        var b = new double[d];
        foreach (int r in rows)
        {
            double y = target(r) - targetMean;
            for (int j = 0; j < d; j++) b[j] += (x[r * d + j] - mean[j]) * y;
        }
        for (int i = 0; i < d; i++)  // L z = b
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * d + k] * b[k];
            b[i] = s / l[i * d + i];
        }
        for (int i = d - 1; i >= 0; i--)  // Lᵀ w = z
        {
            double s = b[i];
            for (int k = i + 1; k < d; k++) s -= l[k * d + i] * b[k];
            b[i] = s / l[i * d + i];
        }
        return b;
    }

    /// <summary>1 − SSE/SST on the held-out rows.</summary>
    static double Score(float[] x, int[] rows, int d, double[] mean, double[] w, double targetMean, Func<int, double> target)
    {
        double heldMean = rows.Average(target);
        double sse = 0, sst = 0;
        foreach (int r in rows)
        {
            double p = targetMean;
            for (int j = 0; j < d; j++) p += (x[r * d + j] - mean[j]) * w[j];
            double y = target(r);
            sse += (y - p) * (y - p);
            sst += (y - heldMean) * (y - heldMean);
        }
        return 1 - sse / sst;
    }
}

/// <summary>Held-out R² of a linear read-out of a vision token's grid row and column (1 = exact, 0 = no better than the mean).</summary>
public sealed record PositionFit(int Grid, double RowR2, double ColumnR2)
{
    public double MeanR2 => (RowR2 + ColumnR2) / 2;
}
