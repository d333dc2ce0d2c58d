using Pipeline.Export;
using Pipeline.Runtime;
using Pipeline.Tests.Export;
using Pipeline.Tests.Runtime;
using Pipeline.Train.Model;
using Spectre.Console;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Tests.Cli;

/// <summary>Runs `pipeline` in-process capturing standard output too (plain lines and Spectre tables).</summary>
internal static class CliOutput
{
    public static (int Code, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var oldOut = System.Console.Out;
        var oldAnsi = AnsiConsole.Console;
        System.Console.SetOut(output);
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        AnsiConsole.Console.Profile.Width = 240;  // wide enough that no table wraps a name
        try
        {
            var (code, error) = CliRunner.Run(args);
            return (code, output.ToString(), error);
        }
        finally
        {
            System.Console.SetOut(oldOut);
            AnsiConsole.Console = oldAnsi;
        }
    }
}

[TestFixture]
public class InspectVerbTests
{
    [Test]
    public void ListsTheManifestGraphsOpsAndFiles()
    {
        var (code, output, error) = CliOutput.Run("inspect", RuntimeArtifacts.Baseline);
        TestContext.Out.WriteLine(output);
        Assert.That((code, error), Is.EqualTo((0, "")));
        Assert.That(output, Does.Contain($"variant baseline, format {ArtifactManifest.CurrentFormatVersion}, opset 17, IR 8, producer pipeline-export"));
        Assert.That(output, Does.Contain("training eval:").And.Contain("0.42"));
        Assert.That(output, Does.Contain($"graph {VisionGraph} ({VisionFile}").And.Contain($"graph {LanguageGraph} ({LanguageFile}"));
        Assert.That(output, Does.Contain("opsets ai.onnx 17"));
        Assert.That(output, Does.Match(@"input\s+pixels\s+float32\s+\(batch, 3, 16, 16\)"));
        Assert.That(output, Does.Match(@"intermediate\s+encoder_features"));
        Assert.That(output, Does.Match(@"output\s+logits"));
        Assert.That(output, Does.Match(@"ONNX ops: .*MatMul \d+").And.Match(@"Softmax \d+"));
        Assert.That(output.Split('\n').Where(l => l.TrimEnd('\r').Length > 80 && l.Trim().Contains(' ')), Is.Empty,
            "every line fits 80 columns, unless it is a single word (a long path)");
        Assert.That(output, Does.Contain("initializers (").And.Contain($"{TestSetFolder(VisionGraph)}/output_0.pb"));
    }

    [TestCase(ExportOpsets.Default, false)]
    [TestCase(ExportOpsets.Standard, true)]
    public void TheInspectorCountsEveryOpAndTheStandardOpsAtOpset23(int opset, bool standardOps)
    {
        var inspection = ArtifactInspector.Inspect(RuntimeArtifacts.Artifact(new ExportFixture.Key(Variant.Norm), opset));
        var language = inspection.Graphs.Single(g => g.Signature.Name == LanguageGraph);
        Assert.That(language.Ops.Sum(o => o.Count), Is.EqualTo(language.Nodes));
        Assert.That(language.Opsets, Does.Contain(new OpsetImport("", opset)));
        Assert.That(language.Initializers, Is.GreaterThan(0));
        Assert.That(language.InitializerBytes, Is.GreaterThan(4L * language.Initializers).And.LessThan(language.FileBytes));
        Assert.That(language.Ops.Any(o => o.OpType == "Attention"), Is.EqualTo(standardOps));
        Assert.That(language.Ops.Any(o => o.OpType == "RotaryEmbedding"), Is.EqualTo(standardOps));
        Assert.That(inspection.Files.Select(f => f.Path), Is.EqualTo(inspection.Manifest.Files.Select(f => f.Path)));
        Assert.That(inspection.Files, Has.All.Matches<ArtifactFile>(f => f.Bytes > 0));
    }

    [Test]
    public void AMissingArtifactIsOneLineAndExitCode2()
    {
        string nowhere = RuntimeArtifacts.Scratch("nowhere");
        var (code, _, error) = CliOutput.Run("inspect", nowhere);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo($"error: artifact folder {nowhere} does not exist"));
    }

    [Test]
    public void ACorruptGraphIsOneLineAndExitCode2()
    {
        string copy = RuntimeArtifacts.Copy();
        File.WriteAllBytes(Path.Combine(copy, LanguageFile), [0xFF, 0xFF, 0xFF]);
        var (code, _, error) = CliOutput.Run("inspect", copy);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain("is not an ONNX model"));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
    }
}
