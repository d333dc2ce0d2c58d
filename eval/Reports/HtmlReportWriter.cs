using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Eval.Reports;

/// <summary>
/// report.html: one self-contained file (inline CSS, figures as base64 data URIs, no scripts, no
/// external references), so it can be mailed, attached to a CI run or opened offline. Every piece
/// of text is HTML-escaped: questions and model answers are data, never markup.
/// </summary>
public static partial class HtmlReportWriter
{
    const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
        h1 { border-bottom: 2px solid #ddd; padding-bottom: .3em; }
        h2 { border-bottom: 1px solid #eee; padding-bottom: .2em; margin-top: 2em; }
        table { border-collapse: collapse; margin: 1em 0; font-size: .92em; }
        caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: .4em; }
        th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; }
        th { background: #f3f3f3; }
        td.paper, th.paper { background: #fff8e6; font-style: italic; }
        table.env th { width: 12em; }
        figure { margin: 1.5em 0; }
        figure img { max-width: 100%; border: 1px solid #eee; }
        figcaption { color: #555; font-size: .9em; }
        code { background: #f5f5f5; padding: 0 .2em; border-radius: 3px; }
        .missing { color: #a00; }
        .generated { color: #777; }
        """;

    public static void Write(Report report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        AtomicFile.WriteAllText(path, Render(report, Path.GetDirectoryName(Path.GetFullPath(path))!));
    }

    /// <param name="reportFolder">Folder relative figure paths are resolved against.</param>
    public static string Render(Report report, string reportFolder)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\">").AppendLine("<head>")
            .AppendLine("<meta charset=\"utf-8\">")
            .Append("<title>").Append(E(report.Title.Replace("`", ""))).AppendLine("</title>")
            .Append("<style>").Append(Css).AppendLine("</style>")
            .AppendLine("</head>").AppendLine("<body>");
        html.Append("<h1>").Append(MarkdownInline(report.Title)).AppendLine("</h1>");
        if (report.Generated is { } when)
            html.Append("<p class=\"generated\">Generated ").Append(E(when.ToString("u", System.Globalization.CultureInfo.InvariantCulture))).AppendLine("</p>");
        html.AppendLine("<h2>Environment</h2>").AppendLine("<table class=\"env\">");
        foreach (var (label, value) in report.Environment.Rows())
            html.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).AppendLine("</td></tr>");
        html.AppendLine("</table>");
        foreach (var section in report.Sections)
        {
            html.Append("<h2>").Append(E(section.Heading)).AppendLine("</h2>");
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case Paragraph p:
                        foreach (var para in Regex.Split(p.Text.ReplaceLineEndings("\n").Trim(), @"\n\s*\n"))
                            html.Append("<p>").Append(MarkdownInline(para)).AppendLine("</p>");
                        break;
                    case ReportTable t:
                        Table(html, t);
                        break;
                    case ReportFigure f:
                        Figure(html, f, reportFolder);
                        break;
                    default:
                        throw new NotSupportedException($"No HTML for {block.GetType().Name}.");
                }
            }
        }
        html.AppendLine("</body>").AppendLine("</html>");
        return html.ToString();
    }

    static void Table(StringBuilder html, ReportTable t)
    {
        var (header, rows) = t.Layout();
        int ours = t.Header.Count;
        html.AppendLine("<table>").Append("<caption>").Append(E(t.Caption)).AppendLine("</caption>").Append("<thead><tr>");
        for (int c = 0; c < header.Count; c++)
            html.Append(c < ours ? "<th>" : "<th class=\"paper\">").Append(E(header[c])).Append("</th>");
        html.AppendLine("</tr></thead>").AppendLine("<tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (int c = 0; c < row.Count; c++)
                html.Append(c < ours ? "<td>" : "<td class=\"paper\">").Append(E(row[c])).Append("</td>");
            html.AppendLine("</tr>");
        }
        html.AppendLine("</tbody>").AppendLine("</table>");
    }

    /// <summary>Embeds the image; a missing file becomes a visible note instead of failing the whole report.</summary>
    static void Figure(StringBuilder html, ReportFigure f, string reportFolder)
    {
        string full = Path.GetFullPath(f.ImagePath, reportFolder);
        html.AppendLine("<figure>");
        if (File.Exists(full))
            html.Append("<img alt=\"").Append(E(f.Caption)).Append("\" src=\"data:").Append(MimeType(full)).Append(";base64,")
                .Append(Convert.ToBase64String(File.ReadAllBytes(full))).AppendLine("\">");
        else
            html.Append("<p class=\"missing\">Figure not found: ").Append(E(f.ImagePath)).AppendLine("</p>");
        html.Append("<figcaption>").Append(E(f.Caption)).AppendLine("</figcaption>").AppendLine("</figure>");
    }

    static string MimeType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Escapes first, then turns `code` and **bold** into tags: markup in the text can never get through.</summary>
    internal static string MarkdownInline(string text)
    {
        string escaped = E(text);
        escaped = Code().Replace(escaped, "<code>$1</code>");
        escaped = Bold().Replace(escaped, "<strong>$1</strong>");
        return escaped.Replace("\n", "<br>\n");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex Bold();
}
