namespace Pipeline.Eval.Plots;

/// <summary>What every figure shares: atomic PNG output and one colour per series, stable across figures.</summary>
internal static class Figure
{
    /// <summary>Category10, the matplotlib default: a variant keeps its colour in every chart of a report.</summary>
    static readonly ScottPlot.IPalette Palette = new ScottPlot.Palettes.Category10();

    public static ScottPlot.Color Color(int index) => Palette.GetColor(index);

    public static void Save(ScottPlot.Plot plot, string path, int width, int height) =>
        AtomicFile.Write(path, tmp => plot.SavePng(tmp, width, height), ".png");

    public static void Save(ScottPlot.Multiplot plot, string path, int width, int height) =>
        AtomicFile.Write(path, tmp => ScottPlot.IMultiplotExtensions.SavePng(plot, tmp, width, height), ".png");

    /// <summary>"0.01", "0.1", "1", "10", "1000": readable labels for log10 tick positions.</summary>
    public static string PowerOfTen(int exponent) =>
        Math.Pow(10, exponent).ToString(exponent < 0 ? $"F{-exponent}" : "F0", System.Globalization.CultureInfo.InvariantCulture);
}
