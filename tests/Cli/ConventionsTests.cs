using System.Text.Json;
using Pipeline.Tests.Runtime;

namespace Pipeline.Tests.Cli;

/// <summary>The command-line conventions scripts rely on: help and version on stdout with exit 0, parse errors in one line, "-" for stdout.</summary>
public sealed class ConventionsTests
{
    [Test]
    public void VersionGoesToStandardOutputWithExitZero()
    {
        var (code, output, error) = CliOutput.Run("--version");
        Assert.That((code, error), Is.EqualTo((0, "")));
        Assert.That(output.Trim(), Does.StartWith("pipeline "));
    }

    [TestCase("run")]
    [TestCase("stage")]
    [TestCase("train")]
    [TestCase("pretrain")]
    public void VerbHelpGoesToStandardOutputAndFitsAScreen(string verb)
    {
        var (code, output, error) = CliOutput.Run(verb, "--help");
        Assert.That((code, error), Is.EqualTo((0, "")));
        Assert.That(output, Does.Contain("--preset"));
        var lines = output.TrimEnd().Split('\n');
        Assert.That(lines, Has.Length.LessThanOrEqualTo(40));
        Assert.That(lines.Max(l => l.TrimEnd('\r').Length), Is.LessThanOrEqualTo(80));
    }

    [Test]
    public void AnUnknownOptionIsOneLineNamingTheVerbsHelp()
    {
        var (code, output, error) = CliOutput.Run("run", "--no-such-option");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("no-such-option").And.Contain("see 'pipeline run --help'"));
    }

    [Test]
    public void ValidateJsonDashWritesTheReportAloneToStandardOutput()
    {
        var (code, output, error) = CliOutput.Run("validate", RuntimeArtifacts.Baseline, "--ep", "cpu", "--json", "-");
        Assert.That((code, error), Is.EqualTo((0, "")));
        using var report = JsonDocument.Parse(output);
        Assert.That(report.RootElement.GetProperty("passed").GetBoolean(), Is.True);
        Assert.That(File.Exists("-"), Is.False);
    }

    [Test]
    public void InspectJsonIsTheInspectionAsJson()
    {
        var (code, output, error) = CliOutput.Run("inspect", RuntimeArtifacts.Baseline, "--json");
        Assert.That((code, error), Is.EqualTo((0, "")));
        using var inspection = JsonDocument.Parse(output);
        Assert.That(inspection.RootElement.GetProperty("manifest").GetProperty("variant").GetString(), Is.EqualTo("baseline"));
        Assert.That(inspection.RootElement.GetProperty("graphs").GetArrayLength(), Is.EqualTo(3), "vision, language model and its cached step");
    }

    [Test]
    public void AnUnexpectedFailureIsOneLineAndItsTraceGoesToAFile()
    {
        // eval.json files of "{}": members missing everywhere, which the report does not expect.
        string run = TestScratch.Dir("unexpected");
        foreach (string variant in new[] { "baseline", "norm", "norm-multilayer" })
        {
            Directory.CreateDirectory(Path.Combine(run, "eval", variant));
            File.WriteAllText(Path.Combine(run, "eval", variant, "eval.json"), "{}");
        }
        var (code, _, error) = CliOutput.Run("report", "--run", run, "--preset", "tiny");
        Assert.That(code, Is.Not.Zero);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), "no stack trace on the terminal");
        Assert.That(error, Does.Not.Contain("   at "));
        if (code == 3)
        {
            var trace = System.Text.RegularExpressions.Regex.Match(error, "the full trace is in (\\S+)").Groups[1].Value;
            Assert.That(File.ReadAllText(trace), Does.Contain("   at "), "the trace is kept for a bug report");
        }
    }

    [TestCase("data --split train --out OUT --images 200000000", "--images 200000000 is more than 1,000,000")]
    [TestCase("data --split train --out OUT --questions-per-category 1000", "--questions-per-category 1000 is more than 20")]
    [TestCase("validate ARTIFACT --threads 100000", "--threads 100000 is more than 256")]
    [TestCase("bench train --preset tiny --threads 0", "--threads must be positive")]
    public void UnboundedCountsAreRefusedBeforeAnyWork(string command, string message)
    {
        string output = TestScratch.Dir("bounds");
        string[] args = command.Replace("OUT", output).Replace("ARTIFACT", RuntimeArtifacts.Baseline).Split(' ');
        var (code, _, error) = CliOutput.Run(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(message));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(Directory.Exists(output), Is.False, "nothing written");
    }
}
