namespace Pipeline.Eval.Plots;

/// <summary>
/// Fig. 7: for chosen questions, a row with the image (titled with the question and the expected
/// answer) and then, side by side, each variant's attention over the image grid, titled with the
/// variant, the normalised entropy and whether it answered right. Colours share one scale per row:
/// the row's largest weight is the top of the colour map, and a colour bar closing the row gives
/// the attention probability each colour stands for.
/// </summary>
public static class AttentionFigure
{
    const int PanelPixels = 320, TitlePixels = 40, ColorBarPixels = 120;

    internal const string ColorBarLabel = "attention probability";

    public static void Save(string path, IReadOnlyList<AttentionRow> rows)
    {
        var figure = Create(rows);
        int columns = Columns(rows);
        Figure.Save(figure, path, columns * PanelPixels + ColorBarPixels, rows.Count * (PanelPixels + TitlePixels));
    }

    /// <summary>The figure's plots, row by row: the image, one panel per variant, empty cells up to the widest row, the row's colour bar.</summary>
    internal static ScottPlot.Multiplot Create(IReadOnlyList<AttentionRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            throw new ArgumentException("No questions to draw.", nameof(rows));
        int columns = Columns(rows);
        var cells = new List<(RgbImage? Image, string Title, double? ScaleMax)>();
        foreach (var row in rows)
        {
            int scale = Math.Max(1, 256 / Math.Max(row.Image.Width, row.Image.Height));
            var image = AttentionOverlay.Enlarge(row.Image.Validated(), scale);
            cells.Add((image, Wrap($"Q: {row.Question}", 44) + $"\nexpected: {row.Expected}", null));
            double max = RowMax(row);
            foreach (var p in row.Panels)
                cells.Add((AttentionOverlay.Blend(image, p.Weights, p.Grid, max), $"{p.Variant}\nH = {p.Entropy:0.000}\n{(p.Correct ? "right" : "wrong")}", null));
            for (int empty = row.Panels.Count + 1; empty < columns; empty++)
                cells.Add((null, "", null));
            cells.Add((null, "row's\nscale", max));
        }
        // Titles padded to the same number of lines: every image then gets the same height and the panels align.
        int lines = cells.Max(c => c.Title.Split('\n').Length);
        var panels = cells.Select(c =>
        {
            string title = c.Title + new string('\n', lines - c.Title.Split('\n').Length);
            return c.ScaleMax is double max ? ColorBarPanel(max, title) : Panel(c.Image, title);
        }).ToList();
        // A Multiplot starts with one plot of its own: hand it the first panel instead of adding to it.
        var figure = new ScottPlot.Multiplot(panels[0]);
        foreach (var plot in panels.Skip(1))
            ScottPlot.IMultiplotExtensions.AddPlot(figure, plot);
        figure.Layout = new PanelsThenColorBar(rows.Count, columns, ColorBarPixels);
        return figure;
    }

    static int Columns(IReadOnlyList<AttentionRow> rows) => 1 + rows.Max(r => r.Panels.Count);

    /// <summary>The largest weight of the row's panels: drawn at the top of the colour map.</summary>
    static double RowMax(AttentionRow row) =>
        row.Panels.Count == 0 ? 0 : row.Panels.Max(p => p.Weights.Count == 0 ? 0 : p.Weights.Max());

    static ScottPlot.Plot Panel(RgbImage? image, string title)
    {
        var plot = new ScottPlot.Plot();
        if (image is not null)
        {
            var rect = plot.Add.ImageRect(new ScottPlot.Image(image.ToPng()), new ScottPlot.CoordinateRect(0, image.Width, 0, image.Height));
            rect.AntiAlias = false;
            plot.Axes.SetLimits(0, image.Width, 0, image.Height);
        }
        plot.HideAxesAndGrid();
        plot.Title(title, size: 13);
        return plot;
    }

    /// <summary>A plot with nothing in it but the colour bar on its right edge, from 0 to the row's largest weight.</summary>
    static ScottPlot.Plot ColorBarPanel(double max, string title)
    {
        var plot = new ScottPlot.Plot();
        plot.HideAxesAndGrid();
        plot.Title(title, size: 13);
        var bar = plot.Add.ColorBar(new RowScale(max));
        bar.Label = ColorBarLabel;
        bar.Width = 16;
        return plot;
    }

    /// <summary>Turbo from 0 to the row's largest weight; a row without weight gets 0 to 1, as a colour bar needs a span.</summary>
    sealed record RowScale(double Max) : ScottPlot.IHasColorAxis
    {
        public ScottPlot.IColormap Colormap => AttentionOverlay.Colormap;

        public ScottPlot.Range GetRange() => new(0, Max > 0 ? Max : 1);
    }

    /// <summary>Rows of equally wide panels, each row closed by a narrow cell for its colour bar.</summary>
    sealed class PanelsThenColorBar(int rows, int columns, float colorBarPixels) : ScottPlot.IMultiplotLayout
    {
        public ScottPlot.PixelRect[] GetSubplotRectangles(ScottPlot.SubplotCollection subplots, ScottPlot.PixelRect figure)
        {
            float panelWidth = (figure.Width - colorBarPixels) / columns, rowHeight = figure.Height / rows;
            return Enumerable.Range(0, subplots.Count).Select(i =>
            {
                int row = i / (columns + 1), column = i % (columns + 1);
                float left = figure.Left + column * panelWidth, top = figure.Top + row * rowHeight;
                float right = column < columns ? left + panelWidth : figure.Right;
                return new ScottPlot.PixelRect(left, right, top + rowHeight, top);
            }).ToArray();
        }
    }

    /// <summary>Breaks long questions at spaces so the title fits its panel.</summary>
    static string Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = "";
            }
            line = line.Length == 0 ? word : $"{line} {word}";
        }
        lines.Add(line);
        return string.Join('\n', lines);
    }
}
