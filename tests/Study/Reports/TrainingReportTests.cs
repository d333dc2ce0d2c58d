using Pipeline.Study.Reports;
using Pipeline.Data;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Study.Reports;

[TestFixture]
public class TrainingReportTests
{
    static TrainSummary Summary(double relative, double text = 0.93)
    {
        var perCategory = Categories.All.ToDictionary(c => c, c => Categories.IsRelative(c) ? relative : 0.95);
        var chance = Categories.All.ToDictionary(c => c, c => Categories.IsRelative(c) ? 0.5 : 0.29);
        var variant = new EvalResult("baseline", 3000, 0.8, perCategory, new Dictionary<string, double> { ["2"] = 0.8 }, chance, 6.0, 0.5, 100);
        return new TrainSummary("small", new VisionPretrainResult("0a", 0.99, 1.0, 0.98, 0.67, 230),
            new TextPretrainResult("0b", text, perCategory, new NormConstants(0.5, 0.8), 30), new NormConstants(0.5, 0.8), "measured", [variant],
            new Dictionary<string, double> { ["0b-text"] = 30 });
    }

    static string Write(TrainSummary s, Preset preset)
    {
        string run = Path.Combine(Path.GetTempPath(), $"pipeline-report-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(run, RunLayout.StagesFolder));
        try { return File.ReadAllText(TrainingReport.Write(s, preset, run, TimeSpan.FromMinutes(3))); }
        finally { Directory.Delete(run, recursive: true); }
    }

    static void WriteLosses(string stageDir, params double[] losses)
    {
        Directory.CreateDirectory(stageDir);
        File.WriteAllLines(Path.Combine(stageDir, StageRunner.MetricsFile),
            losses.Select((loss, i) => $"{{\"step\":{10 * (i + 1)},\"loss\":{loss.ToString(System.Globalization.CultureInfo.InvariantCulture)},\"lr\":0.001,\"samples_per_s\":100,\"elapsed_s\":1}}"));
    }

    [Test]
    public void PretrainingCurvesGetAPanelWithALabelledAxisPerStage()
    {
        string run = Path.Combine(Path.GetTempPath(), $"pipeline-report-{Guid.NewGuid():N}");
        string stages = Path.Combine(run, RunLayout.StagesFolder);
        try
        {
            WriteLosses(Path.Combine(stages, VisionPretraining.Stage), 0.7, 0.3, 0.1);
            WriteLosses(Path.Combine(stages, TextPretraining.Stage), 5, 2, 1.5, 1.2);
            var panels = TrainingReport.PretrainingPanels(stages);
            Assert.That(panels.Select(p => p.YLabel), Is.EqualTo(new[] { "0a vision loss", "0b text loss" }));
            Assert.That(panels.Select(p => p.Series.Single().Label), Is.EqualTo(new[] { "0a vision", "0b text" }), "the legend names the stage");
            Assert.That(panels[1].Series.Single().Y, Is.EqualTo(new[] { 5, 2, 1.5, 1.2 }));

            string md = File.ReadAllText(TrainingReport.Write(Summary(relative: 0.9), Preset.Parse("small"), run, TimeSpan.FromMinutes(3)));
            Assert.That(md, Does.Contain("![pretraining loss](curves-pretraining.png) ([SVG](curves-pretraining.svg))"));
            Assert.That(File.Exists(Path.Combine(stages, "curves-pretraining.png")) && File.Exists(Path.Combine(stages, "curves-pretraining.svg")));

            Directory.Delete(Path.Combine(stages, VisionPretraining.Stage), recursive: true);
            Assert.That(TrainingReport.PretrainingPanels(stages).Select(p => p.Title), Is.EqualTo(new[] { "Stage 0b text pretraining" }), "a stage without a curve gets no panel");
        }
        finally { Directory.Delete(run, recursive: true); }
    }

    [Test]
    public void TheReportStatesTheRecipeItWasTrainedWith()
    {
        var small = Preset.Parse("small");
        var preset = small with { TextTranscripts = true, Seed = 3, Text0b = small.Text0b with { Steps = 3_000, Schedule = LrSchedule.Wsd } };
        string md = Write(Summary(relative: 0.9), preset);
        Assert.That(md, Does.Contain("## Recipe"));
        Assert.That(md, Does.Contain("Seed 3; 0b on scene transcripts"));
        Assert.That(md, Does.Contain("| 0b text | 3,000 | 64 | 0.001 | 60 | wsd | 0.05 |"));
        Assert.That(md, Does.Contain("| 2 QA | 2,500 | 64 | 0.0005 | 150 | cosine | 0 |"));
        string recipe = Write(Summary(relative: 0.9), small.WithTextTranscripts());
        Assert.That(recipe, Does.Contain("| 0b text | 20,000 | 64 | 0.001 | 1200 | restarts at 2000/4000/6000/6200 | 0.05 |"));
    }

    [TestCase(0.9, "| best variant, relative categories | ≥ 60.0 % | 90.0 % | yes |")]
    [TestCase(0.55, "| best variant, relative categories | ≥ 60.0 % | 55.0 % | **no** |")]
    public void TheTargetsTableSaysWhichAreMet(double relative, string row)
    {
        string md = Write(Summary(relative), Preset.Parse("small"));
        Assert.That(md, Does.Contain(row));
        Assert.That(md, Does.Contain("| 0b text question accuracy | ≥ 90.0 % | 93.0 % | yes |"));
    }

    [Test]
    public void AMissedTextTargetNamesTheFormatThatMetIt()
    {
        string md = Write(Summary(relative: 0.5, text: 0.37), Preset.Parse("small"));
        Assert.That(md, Does.Contain("| 0b text question accuracy | ≥ 90.0 % | 37.0 % | **no** | 0b on transcripts (`--text-format transcript`, which brings the 20,000-step recipe"));
        Assert.That(md, Does.Contain("| 50.0 % | **no** | meet the 0b target first"));
        Assert.That(md, Does.Contain("| 0a presence accuracy | ≥ 95.0 % | 99.0 % | yes |  |"), "a met target gets no hint");
    }

    [Test]
    public void AMissedTextTargetOnTranscriptsNamesItsStepsAndTheMeasuredLengths()
    {
        var small = Preset.Parse("small");
        var preset = small with { TextTranscripts = true, Text0b = small.Text0b with { Steps = 4_000 } };
        string md = Write(Summary(relative: 0.5, text: 0.735), preset);
        Assert.That(md, Does.Contain("more 0b steps (`--resume --steps 0b=N`; this run had 4,000)"));
        Assert.That(md, Does.Contain("a smaller `--batch` does not shorten it"), "the batch-size study's answer, so nobody tries it again");
    }

    [Test]
    public void AMissedVariantTargetWithTheTextTargetMetPointsAtStageTwo()
    {
        string md = Write(Summary(relative: 0.55), Preset.Parse("small"));
        Assert.That(md, Does.Contain("| 55.0 % | **no** | a longer stage 2 (`--steps 2=5000`"));
    }

    [Test]
    public void ThePapersNumbersStandBesideOursUnderTheirOwnHeader()
    {
        string md = Write(Summary(relative: 0.9), Preset.Parse("small"));
        Assert.That(md, Does.Contain("| category | baseline | chance | paper: baseline |"));
        Assert.That(md, Does.Contain("| color.abs | 95.0 % | 29.0 % | 79.6 % |"));
        Assert.That(md, Does.Contain("| **overall** | **80.0 %** | | 56.6 % |"));
        Assert.That(md, Does.Contain("its Table 2"));
    }
}
