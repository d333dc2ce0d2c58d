namespace Pipeline.Eval.Plots;

/// <summary>A study over seeds at a glance: each variant's accuracy per seed, and its mean with the 95% interval.</summary>
public static class SeedsChart
{
    public static void Save(string path, SeedStudyResult r)
    {
        var plot = new ScottPlot.Plot();
        for (int i = 0; i < r.Variants.Count; i++)
        {
            var v = r.Variants[i];
            double[] xs = v.Overall.Select((_, k) => i + 0.12 * (k - (v.Overall.Count - 1) / 2.0) / Math.Max(1, v.Overall.Count)).ToArray();
            var dots = plot.Add.ScatterPoints(xs, v.Overall.Select(x => 100 * x).ToArray());
            dots.Color = Figure.Color(i);
            dots.MarkerSize = 8;
            dots.LegendText = v.Variant;
            var ci = v.OverallInterval;
            if (!double.IsInfinity(ci.Low))
            {
                var bar = plot.Add.ErrorBar(new double[] { i + 0.3 }, new double[] { 100 * ci.Mean }, new double[] { 100 * (ci.Mean - ci.Low) });
                bar.Color = Figure.Color(i);
                var mean = plot.Add.ScatterPoints(new double[] { i + 0.3 }, new double[] { 100 * ci.Mean });
                mean.Color = Figure.Color(i);
                mean.MarkerSize = 10;
                mean.MarkerShape = ScottPlot.MarkerShape.FilledSquare;
            }
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, r.Variants.Count).Select(i => (double)i).ToArray(), r.Variants.Select(v => v.Variant).ToArray());
        plot.Title($"2DS accuracy over {r.Seeds.Count} seeds");
        plot.YLabel("accuracy (%)");
        plot.Axes.SetLimits(-0.5, r.Variants.Count - 0.2, 0, 100);
        plot.Legend.Alignment = ScottPlot.Alignment.UpperRight;
        plot.ShowLegend();
        Figure.Save(plot, path, 900, 500);
    }
}
