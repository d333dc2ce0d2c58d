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
        // A series without any value (the paper's numbers when they could not be retrieved) gets no
        // slot, which would stay empty, and no legend entry, which would have no bar: the title says so.
        var drawn = series.Where(s => s.Values.Any(v => v is not null)).ToArray();
        var missing = series.Where(s => s.Values.All(v => v is null)).Select(s => $"{s.Label}: not available").ToArray();
        double slot = 0.8 / Math.Max(1, drawn.Length);
        for (int s = 0; s < drawn.Length; s++)
        {
            var color = Figure.Color(series.ToList().IndexOf(drawn[s]));
            var bars = Enumerable.Range(0, groups.Count).Where(g => drawn[s].Values[g] is not null).Select(g => new ScottPlot.Bar
            {
                Position = g - 0.4 + (s + 0.5) * slot,
                Value = 100 * drawn[s].Values[g]!.Value,
                Label = (100 * drawn[s].Values[g]!.Value).ToString("0", System.Globalization.CultureInfo.InvariantCulture),
                Size = slot * 0.95,
                FillColor = color,
                LineWidth = 0,
            }).ToArray();
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = drawn[s].Values.Any(v => v is null) ? $"{drawn[s].Label} (gaps: not available)" : drawn[s].Label;
            plottable.ValueLabelStyle.FontSize = 10;
        }
        if (missing.Length > 0)
            title = $"{title}\n{string.Join("; ", missing)}";
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, groups.Count).Select(g => (double)g).ToArray(), groups.ToArray());
        plot.Axes.SetLimits(-0.6, groups.Count - 0.4, 0, 105);
        plot.Title(title);
        plot.XLabel("category");
        plot.YLabel("accuracy (%)");
        plot.ShowLegend(ScottPlot.Edge.Right);  // outside the data area: bars near 100% stay visible
        Figure.Save(plot, path, width, height);
    }
}
