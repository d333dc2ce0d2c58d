namespace Pipeline.Eval.Plots;

/// <summary>
/// Fig. 3: histograms of L2 norms on a log10 axis. Vision and text norms differ by orders of
/// magnitude, so linear bins would squash one of them into a single bar. Each series is drawn as the
/// fraction of its own tokens per bin, because the series have very different sizes (thousands of
/// vision tokens against a vocabulary of a few hundred words). Variants that normalise to the same
/// target share their bins, so each series is a faint fill under an outline of its own colour and
/// dash pattern: an outline stays visible where another series lies on top of it.
/// </summary>
public static class NormHistogram
{
    const double FillAlpha = 0.25;

    static readonly ScottPlot.LinePattern[] Patterns =
        [ScottPlot.LinePattern.Solid, ScottPlot.LinePattern.Dashed, ScottPlot.LinePattern.Dotted, ScottPlot.LinePattern.DenselyDashed];

    /// <param name="bins">Bins of equal width in log10(norm), shared by every series.</param>
    /// <remarks>Zero, negative and non-finite norms have no log10 and are left out; the legend's n counts what is drawn.</remarks>
    /// <exception cref="ArgumentException">No series, or a series without positive norms (log10 undefined).</exception>
    public static void Save(string path, IReadOnlyList<NormSeries> series, string title = "L2 norms of vision tokens and text embeddings", int bins = 60, int width = 900, int height = 500) =>
        Figure.Save(Create(series, title, bins), path, width, height);

    internal static ScottPlot.Plot Create(IReadOnlyList<NormSeries> series, string title, int bins)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0)
            throw new ArgumentException("No series to draw.", nameof(series));
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var logs = series.Select(s => s.Norms.Where(n => n > 0 && double.IsFinite(n)).Select(Math.Log10).ToArray()).ToArray();
        for (int i = 0; i < logs.Length; i++)
            if (logs[i].Length == 0)
                throw new ArgumentException($"Series '{series[i].Label}' has no positive norms.", nameof(series));
        double lo = logs.Min(l => l.Min()), hi = logs.Max(l => l.Max());
        if (hi - lo < 1e-9)
            (lo, hi) = (lo - 0.5, hi + 0.5);
        double w = (hi - lo) / bins;

        var plot = new ScottPlot.Plot();
        for (int s = 0; s < logs.Length; s++)
        {
            var fractions = Fractions(logs[s], lo, w, bins);
            AddFill(plot, fractions, lo, w, Figure.Color(s));
            var outline = AddOutline(plot, fractions, lo, w, Figure.Color(s), Patterns[s % Patterns.Length]);
            outline.LegendText = $"{series[s].Label} (n = {logs[s].Length})";
        }
        int first = (int)Math.Floor(lo), last = (int)Math.Ceiling(hi);
        var ticks = Enumerable.Range(first, last - first + 1).ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(t => (double)t).ToArray(), ticks.Select(Figure.PowerOfTen).ToArray());
        plot.Title(title);
        plot.XLabel("L2 norm (log scale)");
        plot.YLabel("fraction of the series' tokens");
        plot.ShowLegend();
        plot.Legend.Alignment = ScottPlot.Alignment.UpperCenter;
        plot.Axes.Margins(bottom: 0);
        return plot;
    }

    /// <summary>The share of <paramref name="logs"/> in each bin (the last bin holds the maximum).</summary>
    static double[] Fractions(double[] logs, double lo, double w, int bins)
    {
        var counts = new double[bins];
        foreach (double v in logs)
            counts[Math.Clamp((int)((v - lo) / w), 0, bins - 1)]++;
        return counts.Select(c => c / logs.Length).ToArray();
    }

    static void AddFill(ScottPlot.Plot plot, double[] fractions, double lo, double w, ScottPlot.Color color)
    {
        var bars = Enumerable.Range(0, fractions.Length).Where(b => fractions[b] > 0).Select(b => new ScottPlot.Bar
        {
            Position = lo + (b + 0.5) * w,
            Value = fractions[b],
            Size = w,
            FillColor = color.WithAlpha(FillAlpha),
            LineWidth = 0,
        }).ToArray();
        plot.Add.Bars(bars);
    }

    /// <summary>
    /// The histogram's outline from the series' first occupied bin to its last: up from zero at the
    /// left edge, along each bin's top, down to zero at the right edge.
    /// </summary>
    static ScottPlot.Plottables.Scatter AddOutline(ScottPlot.Plot plot, double[] fractions, double lo, double w, ScottPlot.Color color, ScottPlot.LinePattern pattern)
    {
        int first = Array.FindIndex(fractions, f => f > 0), last = Array.FindLastIndex(fractions, f => f > 0);
        var xs = new List<double> { lo + first * w };
        var ys = new List<double> { 0 };
        for (int b = first; b <= last; b++)
        {
            xs.Add(lo + b * w);
            ys.Add(fractions[b]);
        }
        xs.Add(lo + (last + 1) * w);
        ys.Add(0);
        var outline = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), color);
        outline.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
        outline.MarkerSize = 0;
        outline.LineWidth = 2;
        outline.LinePattern = pattern;
        return outline;
    }
}
