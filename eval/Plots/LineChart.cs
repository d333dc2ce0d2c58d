namespace Pipeline.Eval.Plots;

/// <summary>Line charts as PNG (and SVG) files (learning curves, accuracy against object count or tokens).</summary>
public static class LineChart
{
    /// <summary>Writes the chart to <paramref name="path"/> atomically.</summary>
    /// <param name="markers">Draw a marker at every point (few points: accuracy per object count).</param>
    /// <param name="yLimits">Fixed y range (accuracy 0–100) so variants and runs compare by eye; null fits the data.</param>
    public static void Save(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series, bool logY = false, int width = 900, int height = 500,
        bool markers = false, (double Min, double Max)? yLimits = null)
    {
        var plot = Create(title, xLabel, yLabel, series, logY, markers, yLimits);
        Figure.Save(plot, path, width, height);
    }

    /// <summary>
    /// Writes the panels side by side, each with its own axes: for lines that share no scale, such
    /// as the losses of different stages. Colours run on from panel to panel, so no two lines share one.
    /// </summary>
    public static void SavePanels(string path, IReadOnlyList<LinePanel> panels, int panelWidth = 600, int height = 450) =>
        Figure.Save(CreatePanels(panels), path, panels.Count * panelWidth, height);

    internal static ScottPlot.Multiplot CreatePanels(IReadOnlyList<LinePanel> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0)
            throw new ArgumentException("No panels to draw.", nameof(panels));
        var plots = new List<ScottPlot.Plot>();
        int firstColor = 0;
        foreach (var p in panels)
        {
            plots.Add(Create(p.Title, p.XLabel, p.YLabel, p.Series, p.LogY, markers: false, yLimits: null, firstColor));
            firstColor += p.Series.Count;
        }
        var figure = new ScottPlot.Multiplot(plots[0]);  // a Multiplot starts with one plot: hand it the first panel
        foreach (var plot in plots.Skip(1))
            ScottPlot.IMultiplotExtensions.AddPlot(figure, plot);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        return figure;
    }

    internal static ScottPlot.Plot Create(string title, string xLabel, string yLabel, IEnumerable<Series> series, bool logY, bool markers, (double Min, double Max)? yLimits,
        int firstColor = 0)
    {
        var plot = new ScottPlot.Plot();
        int index = firstColor;
        foreach (var s in series)
        {
            var ys = logY ? s.Y.Select(y => Math.Log10(Math.Max(y, 1e-12))).ToArray() : s.Y.ToArray();
            var line = plot.Add.Scatter(s.X.ToArray(), ys);
            line.LegendText = s.Label;
            line.Color = Figure.Color(index++);
            line.MarkerSize = markers ? 8 : 0;
            line.LineWidth = 2;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(logY ? $"{yLabel} (log10)" : yLabel);
        plot.ShowLegend();
        plot.Legend.Alignment = ScottPlot.Alignment.UpperRight;  // losses fall: the upper right is usually empty
        if (yLimits is { } y)
            plot.Axes.SetLimitsY(y.Min, y.Max);
        return plot;
    }
}
