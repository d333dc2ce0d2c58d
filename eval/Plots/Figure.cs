using System.Text.RegularExpressions;

namespace Pipeline.Eval.Plots;

/// <summary>
/// What every figure shares: atomic output as PNG (what the reports embed) and as SVG beside it (to
/// zoom into or print at any size), and one colour per series, stable across figures.
/// </summary>
internal static partial class Figure
{
    /// <summary>Category10, the matplotlib default: a variant keeps its colour in every chart of a report.</summary>
    static readonly ScottPlot.IPalette Palette = new ScottPlot.Palettes.Category10();

    public static ScottPlot.Color Color(int index) => Palette.GetColor(index);

    /// <summary>Writes the PNG to <paramref name="path"/> and the SVG to <see cref="SvgPath"/>, each atomically.</summary>
    public static void Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        AtomicFile.Write(path, tmp => plot.SavePng(tmp, width, height), ".png");
        SolidLines(plot);
        AtomicFile.WriteAllText(SvgPath(path), StableIds(plot.GetSvgXml(width, height)));
    }

    /// <summary>
    /// Skia's SVG canvas cannot draw dash patterns: it draws them solid and prints "Unsupported path
    /// effect" to standard output for each. Solid lines from the start give the same SVG, silently.
    /// </summary>
    static void SolidLines(ScottPlot.Plot plot)
    {
        foreach (var line in plot.GetPlottables().OfType<ScottPlot.IHasLine>()) line.LinePattern = ScottPlot.LinePattern.Solid;
    }

    /// <inheritdoc cref="Save(ScottPlot.Plot, string, int, int)"/>
    public static void Save(ScottPlot.Multiplot plot, string path, int width, int height)
    {
        AtomicFile.Write(path, tmp => ScottPlot.IMultiplotExtensions.SavePng(plot, tmp, width, height), ".png");
        for (int i = 0; i < plot.Subplots.Count; i++) SolidLines(plot.Subplots.GetPlot(i));
        AtomicFile.WriteAllText(SvgPath(path), StableIds(Svg(plot, width, height)));
    }

    /// <summary>Where the SVG copy of the figure at <paramref name="pngPath"/> goes: the same name, ending in .svg.</summary>
    public static string SvgPath(string pngPath) => Path.ChangeExtension(pngPath, ".svg");

    /// <summary>
    /// ScottPlot writes SVG for a single plot only, so each subplot is drawn onto an SVG canvas here,
    /// in the cell its layout gives it. Not through <c>Multiplot.Render</c>: that clears the canvas
    /// first, which an SVG canvas records as a black rectangle under the figure.
    /// </summary>
    static string Svg(ScottPlot.Multiplot plot, int width, int height)
    {
        var cells = plot.Layout.GetSubplotRectangles(plot.Subplots, new ScottPlot.PixelRect(0, width, height, 0));
        using var stream = new MemoryStream();
        // The SVG document is complete only once its canvas is disposed.
        using (var canvas = SkiaSharp.SKSvgCanvas.Create(new SkiaSharp.SKRect(0, 0, width, height), stream))
        {
            for (int i = 0; i < cells.Length; i++)
            {
                var subplot = plot.Subplots.GetPlot(i);
                subplot.RenderManager.ClearCanvasBeforeEachRender = false;
                subplot.Render(canvas, cells[i]);
            }
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Skia numbers clip paths from a counter shared by the whole process, so the same figure drawn
    /// twice would differ in its ids alone: renumbered in order of appearance, equal figures are equal files.
    /// </summary>
    internal static string StableIds(string svg)
    {
        var ids = new Dictionary<string, string>();
        return ClipId().Replace(svg, m => ids.TryGetValue(m.Value, out var id) ? id : ids[m.Value] = $"cl_{ids.Count}");
    }

    [GeneratedRegex(@"(?<=id=""|url\(#)cl_[0-9a-f]+\b")]
    private static partial Regex ClipId();

    /// <summary>"0.01", "0.1", "1", "10", "1000": readable labels for log10 tick positions.</summary>
    public static string PowerOfTen(int exponent) =>
        Math.Pow(10, exponent).ToString(exponent < 0 ? $"F{-exponent}" : "F0", System.Globalization.CultureInfo.InvariantCulture);
}
