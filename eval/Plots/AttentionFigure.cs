namespace Pipeline.Eval.Plots;

/// <summary>
/// Fig. 7: for chosen questions, a row with the image (titled with the question and the expected
/// answer) and then, side by side, each variant's attention over the image grid, titled with the
/// variant, the normalised entropy and whether it answered right. Colours share one scale per row:
/// the row's largest weight is full red.
/// </summary>
public static class AttentionFigure
{
    const int PanelPixels = 320;

    public static void Save(string path, IReadOnlyList<AttentionRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            throw new ArgumentException("No questions to draw.", nameof(rows));
        int columns = 1 + rows.Max(r => r.Panels.Count);
        var cells = new List<(RgbImage? Image, string Title)>();
        foreach (var row in rows)
        {
            int scale = Math.Max(1, 256 / Math.Max(row.Image.Width, row.Image.Height));
            var image = AttentionOverlay.Enlarge(row.Image.Validated(), scale);
            cells.Add((image, Wrap($"Q: {row.Question}", 44) + $"\nexpected: {row.Expected}"));
            double max = row.Panels.Count == 0 ? 0 : row.Panels.Max(p => p.Weights.Count == 0 ? 0 : p.Weights.Max());
            foreach (var p in row.Panels)
                cells.Add((AttentionOverlay.Blend(image, p.Weights, p.Grid, max), $"{p.Variant}\nH = {p.Entropy:0.000}\n{(p.Correct ? "right" : "wrong")}"));
            for (int empty = row.Panels.Count + 1; empty < columns; empty++)
                cells.Add((null, ""));
        }
        // Titles padded to the same number of lines: every image then gets the same height and the panels align.
        int lines = cells.Max(c => c.Title.Split('\n').Length);
        var panels = cells.Select(c => Panel(c.Image, c.Title + new string('\n', lines - c.Title.Split('\n').Length))).ToList();
        // A Multiplot starts with one plot of its own: hand it the first panel instead of adding to it.
        var figure = new ScottPlot.Multiplot(panels[0]);
        foreach (var plot in panels.Skip(1))
            ScottPlot.IMultiplotExtensions.AddPlot(figure, plot);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(rows.Count, columns);
        Figure.Save(figure, path, columns * PanelPixels, rows.Count * (PanelPixels + 40));
    }

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
