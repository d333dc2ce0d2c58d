using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Data;
using Pipeline.Eval;
using Pipeline.Eval.Reports;

namespace Pipeline.Tests.Eval;

[TestFixture]
public class ReportWriterTests
{
    string _dir = "";
    string _figure = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("eval-report-").FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "figures"));
        _figure = Path.Combine(_dir, "figures", "norms (log).png");
        Pipeline.Eval.Plots.LineChart.Save(_figure, "t", "x", "y", [new Pipeline.Eval.Plots.Series("a", [0, 1], [1, 2])], width: 200, height: 120);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    const string Hostile = "<script>alert(\"x\")</script> & <img src=\"http://evil/x.png\">";

    Report Sample() => new(
        "Run <small> & results",
        new ReportEnvironment("box", "Linux", 2, ".NET 10.0.0", "1.31.0", "CPUExecutionProvider"),
        [
            new ReportSection("Accuracy", [
                new Paragraph("Grading is **exact match** after `Words.Normalize`.\n\nSecond paragraph: " + Hostile),
                new ReportTable("Table with | pipe", ["category", "baseline"], [["color.abs", "41.0"], ["answer " + Hostile, "1"]],
                    [new PaperColumn("baseline", [null, "12.3"])]),
                new ReportFigure(_figure, "Norms " + Hostile),
            ]),
            new ReportSection("Missing", [new ReportFigure(Path.Combine(_dir, "nope.png"), "not drawn")]),
        ]);

    [Test]
    public void HtmlIsSelfContained()
    {
        string path = Path.Combine(_dir, "report.html");
        HtmlReportWriter.Write(Sample(), path);
        string html = File.ReadAllText(path);
        Assert.That(html, Does.Not.Contain("src=\"http").And.Not.Contain("href=").And.Not.Contain("<script").And.Not.Contain("<link").And.Not.Contain("@import"));
        var sources = Regex.Matches(html, "src=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.That(sources, Has.Length.EqualTo(1), "one figure exists; the missing one is a note");
        Assert.That(sources, Has.All.StartsWith("data:image/png;base64,"));
        Assert.That(Convert.FromBase64String(sources[0]["data:image/png;base64,".Length..]), Is.EqualTo(File.ReadAllBytes(_figure)));
        Assert.That(html, Does.Contain("Figure not found"));
    }

    [Test]
    public void HtmlEscapesEveryText()
    {
        string html = HtmlReportWriter.Render(Sample(), _dir);
        Assert.That(html, Does.Contain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=&quot;http://evil/x.png&quot;&gt;"));
        Assert.That(html, Does.Contain("<title>Run &lt;small&gt; &amp; results</title>"));
        Assert.That(html, Does.Contain("<strong>exact match</strong>").And.Contain("<code>Words.Normalize</code>"));
        Assert.That(Regex.Matches(html, "<p>").Count, Is.GreaterThanOrEqualTo(2), "a blank line starts a new paragraph");
    }

    [Test]
    public void HtmlTableLabelsThePapersColumn()
    {
        string html = HtmlReportWriter.Render(Sample(), _dir);
        Assert.That(html, Does.Contain("<th class=\"paper\">Paper (LLaVA-1.5-7B): baseline</th>"));
        Assert.That(html, Does.Contain("<td class=\"paper\">not available</td>").And.Contain("<td class=\"paper\">12.3</td>"));
        Assert.That(html, Does.Contain("CPUExecutionProvider").And.Contain("1.31.0"));
    }

    [Test]
    public void MarkdownLinksFiguresRelatively()
    {
        string path = Path.Combine(_dir, "report.md");
        MarkdownReportWriter.Write(Sample(), path);
        string md = File.ReadAllText(path);
        Assert.That(md, Does.Contain("](figures/norms%20%28log%29.png)"));
        Assert.That(md, Does.Contain("* ([SVG](figures/norms%20%28log%29.svg))"), "the SVG drawn beside the PNG is linked after the caption");
        Assert.That(md, Does.Contain("*not drawn*" + Environment.NewLine).And.Not.Contain("nope.svg"), "no link to an SVG that is not there");
        Assert.That(md, Does.Not.Contain(_dir), "no absolute paths");
        Assert.That(md, Does.Contain("| Paper (LLaVA-1.5-7B): baseline |"));
        Assert.That(md, Does.Contain("| color.abs | 41.0 | not available |"));
        Assert.That(md, Does.Contain("**Table with | pipe**"), "a caption is not a cell");
        Assert.That(md, Does.Contain("| answer &lt;script>alert(\"x\")&lt;/script> & &lt;img src=\"http://evil/x.png\"> | 1 | 12.3 |"), "cells cannot become HTML");
        Assert.That(md, Does.StartWith("# Run &lt;small> & results"));
        Assert.That(md, Does.Contain("| Execution provider | CPUExecutionProvider |"));
        Assert.That(Directory.GetFiles(_dir), Is.EquivalentTo(new[] { path }), "no temporary file left");
    }

    [Test]
    public void MismatchedTableIsRejected()
    {
        var bad = new ReportTable("t", ["a", "b"], [["only one"]]);
        Assert.That(() => bad.Layout(), Throws.InvalidOperationException);
    }

    sealed record Metrics(string Variant, double OverallAccuracy, double Nan, IReadOnlyDictionary<string, double> PerCategory, int[] Seeds);

    [Test]
    public void MetricsJsonRoundTripsInSnakeCase()
    {
        var metrics = new Metrics("norm-multilayer", 0.43, double.NaN, new Dictionary<string, double> { ["color.abs"] = 0.63, ["ShapeAbs"] = 0.27 }, [1, 2, 3]);
        string path = Path.Combine(_dir, "metrics.json");
        MetricsJson.Write(path, metrics);
        string json = File.ReadAllText(path);
        Assert.That(json, Does.Contain("\"overall_accuracy\": 0.43").And.Contain("\"per_category\"").And.Contain("\"ShapeAbs\"").And.Contain("\"NaN\""));
        Assert.That(json, Does.Contain("\n  "), "indented");
        var back = MetricsJson.Read<Metrics>(path);
        Assert.That((back.Variant, back.OverallAccuracy, back.Seeds), Is.EqualTo((metrics.Variant, metrics.OverallAccuracy, metrics.Seeds)));
        Assert.That(back.Nan, Is.NaN);
        Assert.That(back.PerCategory, Is.EquivalentTo(metrics.PerCategory));
        var dict = MetricsJson.Read<Dictionary<string, JsonElement>>(path);
        Assert.That(dict.Keys, Is.EquivalentTo(new[] { "variant", "overall_accuracy", "nan", "per_category", "seeds" }));
    }

    [Test]
    public void AccuracyResultSerialises()
    {
        var r = AccuracyTable.Score([new ScoredQuestion(Categories.ColorAbs, 2, "red", "red")]);
        string json = MetricsJson.Serialize(r);
        Assert.That(json, Does.Contain("\"per_object_count\"").And.Contain("\"color.abs\"").And.Contain("\"accuracy\": 1"));
    }

    [Test]
    public void AccuracyResultRoundTrips()
    {
        var r = AccuracyTable.Score([new ScoredQuestion(Categories.ColorAbs, 2, "red", "red"), new ScoredQuestion(Categories.ShapeRel, 5, "no", "yes")]);
        string path = Path.Combine(_dir, "accuracy.json");
        MetricsJson.Write(path, r);
        var back = MetricsJson.Read<AccuracyResult>(path);
        Assert.That(back.Overall, Is.EqualTo(r.Overall));
        Assert.That(back.PerCategory, Is.EquivalentTo(r.PerCategory));
        Assert.That(back.PerObjectCount, Is.EquivalentTo(r.PerObjectCount));
        Assert.That(back.PerCategoryAndObjectCount[Categories.ShapeRel][5], Is.EqualTo(new AccuracyCell(0, 1)));
    }

    [Test]
    public void AWholeReportFromEveryPiece()
    {
        var baseline = AccuracyTable.Score(Categories.All.Select((c, i) => new ScoredQuestion(c, 2 + i % 5, "red", i % 2 == 0 ? "red" : "blue")));
        var norm = AccuracyTable.Score(Categories.All.Select((c, i) => new ScoredQuestion(c, 2 + i % 5, "red", "red")));
        var variants = new[] { ("baseline", baseline), ("norm", norm) };
        var permutation = PermutationTest.Summarize(baseline, [(1, norm), (2, baseline)]);
        string figures = Path.Combine(_dir, "figures");
        Pipeline.Eval.Plots.AccuracyCharts.ByObjectCount(Path.Combine(figures, "by-count.png"), variants);
        var report = new Report("2DS", ReportEnvironment.Current("1.31.0", "CPUExecutionProvider"),
        [
            new ReportSection("Paper", [ReportTables.PaperSource()]),
            new ReportSection("Table 2", [ReportTables.Accuracy(variants), ReportTables.ByObjectCount(variants), new ReportFigure(Path.Combine(figures, "by-count.png"), "Accuracy by objects")]),
            new ReportSection("Table 1", [ReportTables.Permutation([("baseline", permutation)])]),
            new ReportSection("Table 4", [ReportTables.Entropy([("baseline", Spread.Of([0.8, 0.9])), ("norm", Spread.Of([0.7]))])]),
            new ReportSection("Fig. 3", [ReportTables.Norms([("vision", NormStatistics.Compute([150, 190])), ("text", NormStatistics.Compute([0.8, 0.85]))], textRow: 1)]),
        ], DateTimeOffset.UnixEpoch);
        MarkdownReportWriter.Write(report, Path.Combine(_dir, "report.md"));
        HtmlReportWriter.Write(report, Path.Combine(_dir, "report.html"));
        MetricsJson.Write(Path.Combine(_dir, "metrics.json"), new { variants = variants.ToDictionary(v => v.Item1, v => v.Item2), permutation });
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.That(md, Does.Contain("](figures/by-count.png)").And.Contain("| text | 2 | 0.8 | 0.825 | 0.825 |").And.Contain("0.83 / 1.22"));
        Assert.That(md, Does.Contain("| overall | 50.0 (3/6) | 100.0 (6/6) | 56.6 | 59.3 |"));
        Assert.That(md, Does.Contain("| color.abs | 100.0 (1/1) | 100.0 (1/1) | 79.6 | 88.0 |"));
        Assert.That(md, Does.Contain("its Table 2"));
        Assert.That(md, Does.Contain("+25.0 ± 35.4 [0.0, +50.0]"), "Δ of seeds (+50, 0) points on the overall row");
        Assert.That(File.ReadAllText(Path.Combine(_dir, "report.html")), Does.Contain("data:image/png;base64,"));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "metrics.json")), Does.Contain("\"per_category\""));
    }

    [Test]
    public void StandardTablesShowThePapersNumbersBesideOurs()
    {
        var r = AccuracyTable.Score([new ScoredQuestion(Categories.ColorAbs, 2, "red", "red"), new ScoredQuestion(Categories.ColorAbs, 3, "red", "blue")]);
        var (header, rows) = ReportTables.Accuracy([("baseline", r), ("norm", r)]).Layout();
        Assert.That(header, Is.EqualTo(new[] { "category", "baseline", "norm", "Paper (LLaVA-1.5-7B): baseline", "Paper (LLaVA-1.5-7B): norm" }));
        Assert.That(rows[0], Is.EqualTo(new[] { "overall", "50.0 (1/2)", "50.0 (1/2)", "56.6", "59.3" }));
        Assert.That(ReportTables.Permutation([("baseline", PermutationTest.Summarize(r, [(1, r)]))]).Layout().Rows[0][^1], Is.EqualTo("not available"),
            "the paper permutes on other benchmarks, not per 2DS category");
        Assert.That(rows[1][0], Is.EqualTo(Categories.ColorAbs));
        Assert.That(rows[2][1], Is.EqualTo("–"), "color.rel has no questions");
        Assert.That(ReportTables.ByObjectCount([("baseline", r)]).Rows.Select(x => x[1]), Is.EqualTo(new[] { "100.0 (1/1)", "0.0 (0/1)" }));
    }
}
