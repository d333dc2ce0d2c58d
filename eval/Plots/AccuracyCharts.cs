using Pipeline.Data;
namespace Pipeline.Eval.Plots;

/// <summary>Accuracy line charts: against object count (Fig. 5), per category and object count (Fig. 6), against vision tokens (Fig. 2).</summary>
public static class AccuracyCharts
{
    /// <summary>
    /// Fig. 5: one line per variant, accuracy (%) against the number of objects in the image.
    /// Object counts without questions are left out of a line rather than drawn as 0.
    /// </summary>
    public static void ByObjectCount(string path, IReadOnlyList<(string Variant, AccuracyResult Result)> variants, string title = "2DS accuracy by number of objects", int width = 900, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(variants);
        var series = variants.Select(v =>
        {
            var points = v.Result.PerObjectCount.Where(p => p.Value.Accuracy is not null).OrderBy(p => p.Key).ToArray();
            return new Series(v.Variant, points.Select(p => (double)p.Key).ToArray(), points.Select(p => 100 * p.Value.Accuracy!.Value).ToArray());
        }).ToArray();
        var plot = LineChart.Create(title, "objects in the image", "accuracy (%)", series, logY: false, markers: true, yLimits: (0, 100));
        var counts = variants.SelectMany(v => v.Result.PerObjectCount.Keys).Distinct().Order().ToArray();
        plot.Axes.Bottom.SetTicks(counts.Select(c => (double)c).ToArray(), counts.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        Figure.Save(plot, path, width, height);
    }

    /// <summary>
    /// Fig. 6: one panel per 2DS category (2 rows: absolute, relative × 3 kinds), each with one line
    /// per variant of accuracy (%) against the number of objects, all on the same 0–100 scale.
    /// </summary>
    public static void ByCategoryAndObjectCount(string path, IReadOnlyList<(string Variant, AccuracyResult Result)> variants, int width = 1500, int height = 800)
    {
        ArgumentNullException.ThrowIfNull(variants);
        string[] order = [Pipeline.Data.Categories.ColorAbs, Pipeline.Data.Categories.ShapeAbs, Pipeline.Data.Categories.ShapeColorAbs,
            Pipeline.Data.Categories.ColorRel, Pipeline.Data.Categories.ShapeRel, Pipeline.Data.Categories.ShapeColorRel];
        var counts = variants.SelectMany(v => v.Result.PerObjectCount.Keys).Distinct().Order().ToArray();
        var panels = order.Select(category =>
        {
            var series = variants.Select(v =>
            {
                var points = v.Result.PerCategoryAndObjectCount[category].Where(p => p.Value.Accuracy is not null).OrderBy(p => p.Key).ToArray();
                return new Series(v.Variant, points.Select(p => (double)p.Key).ToArray(), points.Select(p => 100 * p.Value.Accuracy!.Value).ToArray());
            }).ToArray();
            var plot = LineChart.Create(category, "objects in the image", "accuracy (%)", series, logY: false, markers: true, yLimits: (0, 100));
            plot.Axes.Bottom.SetTicks(counts.Select(c => (double)c).ToArray(), counts.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            return plot;
        }).ToArray();
        var figure = new ScottPlot.Multiplot(panels[0]);  // a Multiplot starts with one plot: hand it the first panel
        foreach (var plot in panels.Skip(1))
            ScottPlot.IMultiplotExtensions.AddPlot(figure, plot);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 3);
        Figure.Save(figure, path, width, height);
    }

    /// <summary>
    /// Fig. 2: accuracy (%) against the number of vision tokens, k×k after pooling, one line per
    /// variant. Token counts grow geometrically (1, 4, 16, 64), so x is log2(k²), labelled "k×k".
    /// </summary>
    public static void ByVisionTokens(string path, IEnumerable<CompressionPoint> points, string title = "Accuracy against number of vision tokens", int width = 900, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(points);
        var all = points.ToArray();
        if (all.Any(p => p.GridSide < 1))
            throw new ArgumentException("A grid side must be at least 1.", nameof(points));
        var series = all.GroupBy(p => p.Variant).SelectMany(g =>
        {
            var ordered = g.OrderBy(p => p.GridSide).ToArray();
            var semantic = ordered.Where(p => p.SemanticAccuracy is not null).ToArray();
            var lines = new List<Series> { new(g.Key, ordered.Select(p => X(p.GridSide)).ToArray(), ordered.Select(p => 100 * p.Accuracy).ToArray()) };
            if (semantic.Length > 0)
                lines.Add(new($"{g.Key} (semantic control)", semantic.Select(p => X(p.GridSide)).ToArray(), semantic.Select(p => 100 * p.SemanticAccuracy!.Value).ToArray()));
            return lines;
        }).ToArray();
        var plot = LineChart.Create(title, "vision tokens (k×k)", "accuracy (%)", series, logY: false, markers: true, yLimits: (0, 100));
        var sides = all.Select(p => p.GridSide).Distinct().Order().ToArray();
        plot.Axes.Bottom.SetTicks(sides.Select(X).ToArray(), sides.Select(k => $"{k}×{k} ({k * k})").ToArray());
        plot.Legend.Alignment = ScottPlot.Alignment.LowerRight;  // accuracy rises with tokens: the lower right is usually empty
        Figure.Save(plot, path, width, height);
    }

    static double X(int side) => Math.Log2((double)side * side);
}
