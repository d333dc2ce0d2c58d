using System.Text;

namespace Pipeline.Eval.Reports;

/// <summary>
/// report.md: GitHub-flavoured Markdown with figures (and their SVG copies, where drawn) linked by
/// paths relative to the report, so the folder can be moved or committed and still render.
/// Paragraphs are Markdown already and are written as they are; headings, captions and table cells
/// are data and are escaped.
/// </summary>
public static class MarkdownReportWriter
{
    public static void Write(Report report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        AtomicFile.WriteAllText(path, Render(report, Path.GetDirectoryName(Path.GetFullPath(path))!));
    }

    /// <param name="reportFolder">Folder the figure links are made relative to.</param>
    public static string Render(Report report, string reportFolder)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Inline(report.Title)).AppendLine();
        if (report.Generated is { } when)
            md.Append("_Generated ").Append(when.ToString("u", System.Globalization.CultureInfo.InvariantCulture)).AppendLine("_").AppendLine();
        md.AppendLine("## Environment").AppendLine();
        md.AppendLine("| | |").AppendLine("|---|---|");
        foreach (var (label, value) in report.Environment.Rows())
            md.Append("| ").Append(Cell(label)).Append(" | ").Append(Cell(value)).AppendLine(" |");
        md.AppendLine();
        foreach (var section in report.Sections)
        {
            md.Append("## ").AppendLine(Inline(section.Heading)).AppendLine();
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case Paragraph p:
                        md.AppendLine(p.Text.TrimEnd()).AppendLine();
                        break;
                    case ReportTable t:
                        var (header, rows) = t.Layout();
                        md.Append("**").Append(Inline(t.Caption)).AppendLine("**").AppendLine();
                        md.Append("| ").Append(string.Join(" | ", header.Select(Cell))).AppendLine(" |");
                        md.Append('|').Append(string.Concat(header.Select(_ => "---|"))).AppendLine();
                        foreach (var row in rows)
                            md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).AppendLine(" |");
                        md.AppendLine();
                        break;
                    case ReportFigure f:
                        md.Append("![").Append(Inline(f.Caption).Replace("]", "\\]")).Append("](").Append(RelativeLink(reportFolder, f.ImagePath)).AppendLine(")").AppendLine();
                        md.Append('*').Append(Inline(f.Caption)).Append('*');
                        if (SvgCopy(reportFolder, f.ImagePath) is { } svg)
                            md.Append(" ([SVG](").Append(RelativeLink(reportFolder, svg)).Append("))");
                        md.AppendLine().AppendLine();
                        break;
                    default:
                        throw new NotSupportedException($"No Markdown for {block.GetType().Name}.");
                }
            }
        }
        return md.ToString();
    }

    /// <summary>The SVG drawn beside a PNG figure, if there is one: linked for readers who zoom or print.</summary>
    static string? SvgCopy(string folder, string image)
    {
        string full = Path.GetFullPath(image, folder);
        string svg = Path.ChangeExtension(full, ".svg");
        return !full.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) && File.Exists(svg) ? svg : null;
    }

    /// <summary>Forward slashes and percent-encoded segments, so spaces and '(' do not break the link.</summary>
    internal static string RelativeLink(string folder, string target)
    {
        string relative = Path.GetRelativePath(folder, Path.GetFullPath(target, folder));
        return string.Join('/', relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Select(Uri.EscapeDataString));
    }

    /// <summary>
    /// One line of data text (headings, captions, cells): '&lt;' is written as an entity so a model's
    /// answer or a question can never turn into HTML in a Markdown renderer.
    /// </summary>
    static string Inline(string text) => text.ReplaceLineEndings(" ").Replace("<", "&lt;");

    static string Cell(string text) => Inline(text).Replace("|", "\\|");
}
