using MathNet.Numerics.LinearAlgebra;
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
        return tokens.Shape.Length == 3 && tokens.Shape[0] >= 2 && GridSide(tokens.Shape[1]) is not null;
    }

    /// <summary>R² for row and column over tokens (images, grid², D), the grid read row-major.</summary>
    /// <exception cref="ArgumentException">Not float32 (I, N, D) with N a square, or fewer than two images.</exception>
    public static PositionFit Measure(HostTensor tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Type != ElementType.Float32 || tokens.Shape.Length != 3)
            throw new ArgumentException($"Expected float32 (images, tokens, D), got {tokens}.", nameof(tokens));
        int images = (int)tokens.Shape[0], n = (int)tokens.Shape[1], d = (int)tokens.Shape[2];
        int grid = GridSide(n) ?? throw new ArgumentException($"{n} tokens per image do not form a square grid of side ≥ 2.", nameof(tokens));
        if (images < 2) throw new ArgumentException("The probe needs at least two images (one to fit, one to score).", nameof(tokens));
        int[] fit = Rows(images, n, parity: 0), held = Rows(images, n, parity: 1);
        var mean = Vector<double>.Build.Dense(d, j => fit.Average(r => (double)tokens.Floats[r * d + j]));
        var xFit = Centred(tokens.Floats, fit, d, mean);
        var xHeld = Centred(tokens.Floats, held, d, mean);
        var gram = xFit.TransposeThisAndMultiply(xFit);
        gram += Matrix<double>.Build.DenseIdentity(d) * (RelativeRidge * Math.Max(gram.Trace() / d, 1e-12));
        var cholesky = gram.Cholesky();
        double R2(Func<int, double> target)
        {
            var yFit = Vector<double>.Build.Dense(fit.Length, i => target(fit[i]));
            var yHeld = Vector<double>.Build.Dense(held.Length, i => target(held[i]));
            double fitMean = yFit.Average();
            var w = cholesky.Solve(xFit.TransposeThisAndMultiply(yFit - fitMean));
            var residual = yHeld - (xHeld * w + fitMean);
            var spread = yHeld - yHeld.Average();
            return 1 - residual.DotProduct(residual) / spread.DotProduct(spread);
        }
        return new PositionFit(grid, R2(r => r % n / grid), R2(r => r % n % grid));
    }

    /// <summary>The side of a square grid of <paramref name="tokens"/> tokens, if it is one of side ≥ 2.</summary>
    static int? GridSide(long tokens)
    {
        int side = (int)Math.Round(Math.Sqrt(tokens));
        return side >= 2 && (long)side * side == tokens ? side : null;
    }

    /// <summary>The token rows of every image whose index has the given parity.</summary>
    static int[] Rows(int images, int n, int parity) =>
        Enumerable.Range(0, images).Where(i => i % 2 == parity).SelectMany(i => Enumerable.Range(i * n, n)).ToArray();

    /// <summary>The given token rows, centred on the fitting rows' mean, as a (rows, D) matrix.</summary>
    static Matrix<double> Centred(float[] x, int[] rows, int d, Vector<double> mean) =>
        Matrix<double>.Build.Dense(rows.Length, d, (i, j) => x[rows[i] * d + j] - mean[j]);
}

/// <summary>Held-out R² of a linear read-out of a vision token's grid row and column (1 = exact, 0 = no better than the mean).</summary>
public sealed record PositionFit(int Grid, double RowR2, double ColumnR2)
{
    public double MeanR2 => (RowR2 + ColumnR2) / 2;
}
