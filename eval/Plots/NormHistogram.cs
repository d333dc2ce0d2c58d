namespace Pipeline.Eval.Plots;

/// <summary>
/// Fig. 3: histograms of L2 norms on a log10 axis. Vision and text norms differ by orders of
/// magnitude, so linear bins would squash one of them into a single bar. Each series is drawn as the
/// fraction of its own tokens per bin, because the series have very different sizes (thousands of
/// vision tokens against a vocabulary of a few hundred words).
/// </summary>
public static class NormHistogram
{
    /// <param name="bins">Bins of equal width in log10(norm), shared by every series.</param>
    /// <remarks>Zero, negative and non-finite norms have no log10 and are left out; the legend's n counts what is drawn.</remarks>
    /// <exception cref="ArgumentException">No series, or a series without positive norms (log10 undefined).</exception>
    public static void Save(string path, IReadOnlyList<NormSeries> series, string title = "L2 norms of vision tokens and text embeddings", int bins = 60, int width = 900, int height = 500)
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
            var counts = new double[bins];
            foreach (double v in logs[s])
                counts[Math.Clamp((int)((v - lo) / w), 0, bins - 1)]++;
            var color = Figure.Color(s).WithAlpha(0.55);
            var bars = Enumerable.Range(0, bins).Where(b => counts[b] > 0).Select(b => new ScottPlot.Bar
            {
                Position = lo + (b + 0.5) * w,
                Value = counts[b] / logs[s].Length,
                Size = w,
                FillColor = color,
                LineWidth = 0,
            }).ToArray();
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = $"{series[s].Label} (n = {logs[s].Length})";
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
        Figure.Save(plot, path, width, height);
    }
}
