namespace Pipeline.Eval.Plots;

/// <summary>One line of a chart.</summary>
public sealed record Series(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>Line charts as PNG files (learning curves, accuracy against tokens).</summary>
public static class LineChart
{
    /// <summary>Writes the chart to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series, bool logY = false, int width = 900, int height = 500)
    {
        var plot = new ScottPlot.Plot();
        foreach (var s in series)
        {
            var ys = logY ? s.Y.Select(y => Math.Log10(Math.Max(y, 1e-12))).ToArray() : s.Y.ToArray();
            var line = plot.Add.Scatter(s.X.ToArray(), ys);
            line.LegendText = s.Label;
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(logY ? $"{yLabel} (log10)" : yLabel);
        plot.ShowLegend();
        plot.Legend.Alignment = ScottPlot.Alignment.UpperRight;  // losses fall: the upper right is usually empty
        string tmp = path + ".tmp.png";
        plot.SavePng(tmp, width, height);
        File.Move(tmp, path, overwrite: true);
    }
}
