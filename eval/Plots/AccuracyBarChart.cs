namespace Pipeline.Eval.Plots;

/// <summary>
/// Table 2 as a picture: accuracy per category, one bar per variant (baseline, norm,
/// norm-multilayer, optionally the paper's LLaVA-1.5-7B) side by side within each category.
/// </summary>
public static class AccuracyBarChart
{
    /// <param name="groups">Labels of the groups along x (the 2DS categories, or "overall").</param>
    /// <param name="series">Bars per variant; each has one value (fraction) per group, or null to leave a gap.</param>
    public static void Save(string path, IReadOnlyList<string> groups, IReadOnlyList<BarSeries> series, string title = "2DS accuracy per category", int width = 1000, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(series);
        if (groups.Count == 0 || series.Count == 0)
            throw new ArgumentException("A bar chart needs at least one group and one series.");
        foreach (var s in series)
            if (s.Values.Count != groups.Count)
                throw new ArgumentException($"Series '{s.Label}' has {s.Values.Count} values for {groups.Count} groups.", nameof(series));

        var plot = new ScottPlot.Plot();
        double slot = 0.8 / series.Count;
        for (int s = 0; s < series.Count; s++)
        {
            var color = Figure.Color(s);
            var bars = Enumerable.Range(0, groups.Count).Where(g => series[s].Values[g] is not null).Select(g => new ScottPlot.Bar
            {
                Position = g - 0.4 + (s + 0.5) * slot,
                Value = 100 * series[s].Values[g]!.Value,
                Size = slot * 0.95,
                FillColor = color,
                LineWidth = 0,
            }).ToArray();
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = series[s].Values.Any(v => v is null) ? $"{series[s].Label} (gaps: not available)" : series[s].Label;
            if (bars.Length == 0)
                plottable.Color = color;  // keeps the legend swatch for an all-null series
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, groups.Count).Select(g => (double)g).ToArray(), groups.ToArray());
        plot.Axes.SetLimits(-0.6, groups.Count - 0.4, 0, 105);
        plot.Title(title);
        plot.XLabel("category");
        plot.YLabel("accuracy (%)");
        plot.ShowLegend();
        plot.Legend.Alignment = ScottPlot.Alignment.UpperRight;
        Figure.Save(plot, path, width, height);
    }
}
