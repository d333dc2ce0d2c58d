using System.Buffers.Binary;
using Pipeline.Data;
using Pipeline.Eval;
using Pipeline.Eval.Plots;

namespace Pipeline.Tests.Eval;

/// <summary>Every figure is a valid PNG of the requested size with an SVG beside it, written whole, and byte-identical when drawn twice.</summary>
[TestFixture]
public class FigureTests
{
    string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("eval-figures-").FullName;

    [TearDown]
    public void TearDown()
    {
        // EVAL_KEEP_FIGURES=1 keeps the PNGs of passing tests too, to look at them.
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Passed && Environment.GetEnvironmentVariable("EVAL_KEEP_FIGURES") is null)
            Directory.Delete(_dir, recursive: true);
        else
            TestContext.Out.WriteLine($"figures kept in {_dir}");
    }

    /// <summary>PNG signature, then the IHDR chunk's width and height (big-endian).</summary>
    internal static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Length, Is.GreaterThan(33), $"{path} is too short for a PNG");
        Assert.That(bytes[..8], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 12, 4), Is.EqualTo("IHDR"));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    /// <summary>The root of a well-formed SVG document and its width and height in pixels.</summary>
    internal static (double Width, double Height) SvgSize(string path)
    {
        var root = System.Xml.Linq.XDocument.Load(path).Root!;
        var svg = System.Xml.Linq.XNamespace.Get("http://www.w3.org/2000/svg");
        Assert.That(root.Name, Is.EqualTo(svg + "svg"), $"{path} is not an SVG document");
        Assert.That(root.Elements(svg + "rect").First().Attribute("fill")?.Value, Is.EqualTo("white"), "drawn on white (a rectangle without a fill would be black)");
        double Pixels(string name) => double.Parse(((string?)root.Attribute(name) ?? "").Replace("px", ""), System.Globalization.CultureInfo.InvariantCulture);
        return (Pixels("width"), Pixels("height"));
    }

    /// <summary>Each figure is a PNG and an SVG beside it, of the requested size, both byte-identical when drawn twice.</summary>
    void AssertDeterministicFigure(Action<string> draw, int width, int height)
    {
        string a = Path.Combine(_dir, "a.png"), b = Path.Combine(_dir, "b.png");
        draw(a);
        draw(b);
        Assert.That(PngSize(a), Is.EqualTo((width, height)));
        Assert.That(SvgSize(Path.Combine(_dir, "a.svg")), Is.EqualTo(((double)width, (double)height)));
        Assert.That(File.ReadAllBytes(b), Is.EqualTo(File.ReadAllBytes(a)), "same inputs, same bytes");
        Assert.That(File.ReadAllBytes(Path.Combine(_dir, "b.svg")), Is.EqualTo(File.ReadAllBytes(Path.Combine(_dir, "a.svg"))), "same inputs, same SVG");
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "a.png", "a.svg", "b.png", "b.svg" }), "an SVG beside each PNG and no temporary files left behind");
    }

    static AccuracyResult Result(double bias) => AccuracyTable.Score(
        from c in Categories.All
        from n in Enumerable.Range(2, 5)
        from i in Enumerable.Range(0, 10)
        select new ScoredQuestion(c, n, "red", (i + n + c.Length) % 10 < bias * 10 ? "red" : "blue"));

    [Test]
    public void NormHistogramOfThreeSeries()
    {
        var rng = new Random(1);
        var vision = Enumerable.Range(0, 2000).Select(_ => 150 + 40 * rng.NextDouble()).ToArray();
        var adapted = Enumerable.Range(0, 2000).Select(_ => 0.7 + 0.3 * rng.NextDouble()).ToArray();
        var text = Enumerable.Range(0, 300).Select(_ => 0.6 + 0.5 * rng.NextDouble()).ToArray();
        AssertDeterministicFigure(p => NormHistogram.Save(p,
            [new("vision, after projector", vision), new("vision, after adapter", adapted), new("text embeddings", text)]), 900, 500);
    }

    [Test]
    public void EveryNormSeriesStaysVisibleWhereTheyOverlap()
    {
        // 'norm' and 'norm-multilayer' normalise to the same target: their bins coincide.
        var rng = new Random(2);
        var same = Enumerable.Range(0, 500).Select(_ => 0.7 + 0.1 * rng.NextDouble()).ToArray();
        var text = Enumerable.Range(0, 300).Select(_ => 0.6 + 0.5 * rng.NextDouble()).ToArray();
        var plot = NormHistogram.Create([new("norm", same), new("norm-multilayer", same), new("text embeddings", text)], "norms", bins: 30);

        var fills = plot.GetPlottables<ScottPlot.Plottables.BarPlot>().ToArray();
        Assert.That(fills, Has.Length.EqualTo(3));
        Assert.That(fills.SelectMany(f => f.Bars).Select(b => b.FillColor.A), Has.All.LessThan(255), "fills are see-through");
        var outlines = plot.GetPlottables<ScottPlot.Plottables.Scatter>().ToArray();
        Assert.That(outlines, Has.Length.EqualTo(3), "one outline per series");
        Assert.That(outlines.Select(o => o.Color.ToHex()).Distinct().Count(), Is.EqualTo(3), "distinct colours");
        Assert.That(outlines.Select(o => o.LinePattern.Name).Distinct().Count(), Is.EqualTo(3), "distinct dash patterns, so coinciding outlines both show");
        Assert.That(outlines.Select(o => o.LineWidth), Has.All.GreaterThan(0));
        var legend = plot.GetPlottables().SelectMany(p => p.LegendItems).Select(i => i.LabelText).Where(t => !string.IsNullOrEmpty(t));
        Assert.That(legend, Is.EqualTo(new[] { "norm (n = 500)", "norm-multilayer (n = 500)", "text embeddings (n = 300)" }));
    }

    [Test]
    public void LinePanelsHaveTheirOwnLabelledAxesAndColours()
    {
        var figure = LineChart.CreatePanels(
        [
            new LinePanel("Stage 0a vision pretraining", "step", "0a vision loss", [new Series("0a vision", [0, 10], [0.7, 0.1])]),
            new LinePanel("Stage 0b text pretraining", "step", "0b text loss", [new Series("0b text", [0, 100, 200], [5, 2, 1])]),
        ]);
        var plots = ScottPlot.IMultiplotExtensions.GetPlots(figure);
        Assert.That(plots.Select(p => p.Axes.Left.Label.Text), Is.EqualTo(new[] { "0a vision loss", "0b text loss" }));
        Assert.That(plots.Select(p => p.Axes.Bottom.Label.Text), Is.EqualTo(new[] { "step", "step" }));
        var lines = plots.Select(p => p.GetPlottables<ScottPlot.Plottables.Scatter>().Single()).ToArray();
        Assert.That(lines.Select(l => l.LegendText), Is.EqualTo(new[] { "0a vision", "0b text" }), "the legend names each stage");
        Assert.That(lines[0].Color, Is.Not.EqualTo(lines[1].Color), "colours run on across the panels");
    }

    [Test]
    public void LinePanelsSideBySide() =>
        AssertDeterministicFigure(p => LineChart.SavePanels(p,
        [
            new LinePanel("a", "step", "a loss", [new Series("a", [0, 1], [2, 1])]),
            new LinePanel("b", "step", "b loss", [new Series("b", [0, 1, 2], [3, 2, 1])]),
        ]), 2 * 600, 450);

    [Test]
    public void AccuracyBars()
    {
        var variants = new[] { ("baseline", Result(0.4)), ("norm", Result(0.5)), ("norm-multilayer", Result(0.6)) };
        var series = variants.Select(v => new BarSeries(v.Item1, Categories.All.Select(c => v.Item2.PerCategory[c].Accuracy).ToArray()))
            .Append(new BarSeries("paper (LLaVA-1.5-7B)", Categories.All.Select(_ => (double?)null).ToArray())).ToArray();
        AssertDeterministicFigure(p => AccuracyBarChart.Save(p, Categories.All, series), 1000, 500);
    }

    [Test]
    public void AccuracyByObjectCount() =>
        AssertDeterministicFigure(p => AccuracyCharts.ByObjectCount(p, [("baseline", Result(0.4)), ("norm", Result(0.5)), ("norm-multilayer", Result(0.6))]), 900, 500);

    [Test]
    public void AccuracyByCategoryAndObjectCount() =>
        AssertDeterministicFigure(p => AccuracyCharts.ByCategoryAndObjectCount(p, [("baseline", Result(0.4)), ("norm", Result(0.5)), ("norm-multilayer", Result(0.6))]), 1500, 800);

    [Test]
    public void AccuracyByVisionTokens() =>
        AssertDeterministicFigure(p => AccuracyCharts.ByVisionTokens(p,
            from v in new[] { ("baseline", 0.3), ("norm", 0.35), ("norm-multilayer", 0.4) }
            from k in new[] { 1, 2, 4, 8 }
            select new CompressionPoint(v.Item1, k, v.Item2 + 0.04 * k)), 900, 500);

    /// <summary>A 64×64 white scene with a red square at the top left; an 8×8 attention grid peaked there (0.5) or flat.</summary>
    static AttentionRow[] AttentionRows()
    {
        var rgb = new byte[64 * 64 * 3];
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
            {
                bool red = x is >= 8 and < 20 && y is >= 8 and < 20;
                rgb[(y * 64 + x) * 3] = red ? (byte)220 : (byte)255;
                rgb[(y * 64 + x) * 3 + 1] = red ? (byte)38 : (byte)255;
                rgb[(y * 64 + x) * 3 + 2] = red ? (byte)38 : (byte)255;
            }
        var image = new RgbImage(64, 64, rgb);
        float[] peaked = Enumerable.Range(0, 64).Select(i => i == 9 ? 0.5f : 0.5f / 63).ToArray();
        float[] flat = Enumerable.Repeat(1f / 64, 64).ToArray();
        return
        [
            new("What color is at the top left of the image?", "red", image,
            [
                new AttentionPanel("baseline", flat, 8, 0.99, false),
                new AttentionPanel("norm", peaked, 8, 0.71, true),
                new AttentionPanel("norm-multilayer", peaked, 8, 0.64, true),
            ]),
            new("Is the red square above the circle?", "yes", image, [new AttentionPanel("baseline", flat, 8, 0.99, true)]),
        ];
    }

    [Test]
    public void AttentionMapsGrid() =>
        // Four columns (the image, three variants) of 320 pixels and the colour bars' column.
        AssertDeterministicFigure(p => AttentionFigure.Save(p, AttentionRows()), 4 * 320 + 120, 2 * 360);

    [Test]
    public void EachAttentionRowEndsInAColourBarOfItsOwnScale()
    {
        var plots = ScottPlot.IMultiplotExtensions.GetPlots(AttentionFigure.Create(AttentionRows()));
        Assert.That(plots, Has.Length.EqualTo(2 * 5), "per row: the image, three variant cells, the colour bar");
        var bars = plots.Select(p => p.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>().ToArray()).ToArray();
        Assert.That(bars.Select(b => b.Length), Is.EqualTo(new[] { 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 }), "one colour bar, closing each row");
        var first = bars[4].Single();
        var second = bars[9].Single();
        Assert.That(first.Label, Is.EqualTo("attention probability"));
        Assert.That(first.Source.Colormap.Name, Is.EqualTo(new ScottPlot.Colormaps.Turbo().Name), "the overlay's colour map");
        Assert.That((first.Source.GetRange().Min, first.Source.GetRange().Max), Is.EqualTo((0.0, 0.5)).Within(1e-6), "up to the peaked panel's largest weight");
        Assert.That(second.Source.GetRange().Max, Is.EqualTo(1.0 / 64).Within(1e-6), "the flat row's own largest weight");
    }

    [Test]
    public void AttentionImageFromPngRoundTrips()
    {
        var image = new RgbImage(3, 2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
        string path = Path.Combine(_dir, "scene.png");
        File.WriteAllBytes(path, image.ToPng());
        var back = RgbImage.FromPng(path);
        Assert.That((back.Width, back.Height), Is.EqualTo((3, 2)));
        Assert.That(back.Rgb, Is.EqualTo(image.Rgb));
    }

    [Test]
    public void LineChartStillWorksForLearningCurves()
    {
        AssertDeterministicFigure(p => LineChart.Save(p, "Stage 2 loss", "step", "loss", [new Series("baseline", [0, 1, 2], [3, 2, 1])], logY: true), 900, 500);
    }
}
