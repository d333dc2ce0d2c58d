using System.Globalization;
using System.Text.Json;
using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Runtime;
using Spectre.Console;

namespace Pipeline.Cli.Verbs;

[Verb("inspect", HelpText = "Describe an exported artifact without running it: manifest summary, graph inputs and outputs, ONNX ops, opsets, initializers, file sizes.")]
public sealed class InspectOptions
{
    [Value(0, MetaName = "ARTIFACT", Required = true, HelpText = "The artifact folder (holding manifest.json).")]
    public string Artifact { get; set; } = "";

    [Option("json", Default = false, HelpText = "Print the inspection as JSON on standard output instead of tables.")]
    public bool Json { get; set; }
}

public static class InspectVerb
{
    public static int Run(InspectOptions args, Terminal terminal)
    {
        var inspection = ArtifactInspector.Inspect(args.Artifact);
        if (args.Json)
        {
            System.Console.Out.WriteLine(JsonSerializer.Serialize(inspection, Pipeline.Core.Json.Indented));
            return 0;
        }
        PrintManifest(inspection, terminal);
        foreach (var graph in inspection.Graphs) PrintGraph(graph, terminal);
        AnsiConsole.Write(FilesTable(inspection.Files));
        return 0;
    }

    static void PrintManifest(ArtifactInspection i, Terminal terminal)
    {
        var m = i.Manifest;
        terminal.Info($"{m.Name} ({i.Directory})");
        terminal.Info($"variant {m.Variant}, format {m.FormatVersion}, opset {m.Opset}, IR {m.IrVersion}, producer {m.Producer.Name} {m.Producer.Version} (reference: {m.Producer.Reference})");
        terminal.Info($"adapters: {Adapters(m.Adapters)}");
        terminal.Info($"preprocessing: {m.Preprocessing.ImageSize}×{m.Preprocessing.ImageSize} {m.Preprocessing.ChannelOrder} {m.Preprocessing.Layout}, {m.Preprocessing.Formula}");
        terminal.Info($"prompt: {m.Prompt.Template} (max {m.Prompt.MaxSequenceLength} tokens, {m.Prompt.Padding} padding)");
        terminal.Info($"training: {m.Training.Checkpoint}" + (m.Training.Dataset is { } d ? $", data {d.Split} {d.Images} images / {d.Questions} questions (dataset.json {d.ManifestSha256[..12]}…)" : ""));
        terminal.Info($"training eval: {(m.Training.Evaluation is { } e ? Evaluation(e) : "none recorded")}");
        terminal.Info($"test vectors: {m.TestData.Sets.Count} set(s), atol {G(m.TestData.Atol)}, rtol {G(m.TestData.Rtol)}");
    }

    static string Adapters(AdapterConstants a)
    {
        var parts = new List<string> { $"{a.NumImageTokens} image tokens from encoder layer(s) {string.Join(", ", a.EncoderLayers)}" };
        if (a.Multilayer) parts.Add("multilayer" + (a.TapsThroughFinalLayerNorm ? " (taps through the final LayerNorm)" : ""));
        if (a.NormAdapter) parts.Add($"norm adapter (target mean {G(a.TargetMean ?? double.NaN)}, max norm {G(a.MaxNorm ?? double.NaN)})");
        if (a.PoolTokens is int k) parts.Add($"{k}×{k} pooling");
        return string.Join("; ", parts);
    }

    /// <summary>The numbers of eval.json, whatever its field names: scalars, then per-key groups on one line.</summary>
    static string Evaluation(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) return e.GetRawText();
        var parts = e.EnumerateObject().Select(p => p.Value.ValueKind switch
        {
            JsonValueKind.Number => $"{p.Name} {Number(p.Value.GetDouble())}",
            JsonValueKind.String => $"{p.Name} {p.Value.GetString()}",
            JsonValueKind.Object => $"{p.Name} [{string.Join(", ", p.Value.EnumerateObject().Where(q => q.Value.ValueKind == JsonValueKind.Number).Select(q => $"{q.Name} {Number(q.Value.GetDouble())}"))}]",
            _ => null,
        });
        return string.Join("; ", parts.OfType<string>());
    }

    static void PrintGraph(GraphInspection g, Terminal terminal)
    {
        var s = g.Signature;
        terminal.Info("");
        terminal.Info($"graph {s.Name} ({s.File}, {Bytes(g.FileBytes)}): {s.Description}");
        terminal.Info($"  producer {g.Producer}, IR {g.IrVersion}, opsets {string.Join(", ", g.Opsets.Select(o => $"{(o.Domain == "" ? "ai.onnx" : o.Domain)} {o.Version}"))}");
        terminal.Info($"  {g.Nodes} nodes, {g.Ops.Count} op types, {g.Initializers} initializers ({Bytes(g.InitializerBytes)})");
        AnsiConsole.Write(SignatureTable(s));
        AnsiConsole.Write(OpsTable(g));
    }

    static Table SignatureTable(GraphSignature s)
    {
        var table = new Table().Title(Markup.Escape($"{s.Name}: inputs and outputs"))
            .AddColumn("").AddColumn("name").AddColumn("type").AddColumn("shape").AddColumn("description");
        foreach (var t in s.Inputs) table.AddRow("input", Markup.Escape(t.Name), t.ElementType, Markup.Escape(Shape(t)), Markup.Escape(t.Description));
        foreach (var t in s.Outputs)
            table.AddRow(t.Intermediate ? "intermediate" : "output", Markup.Escape(t.Name), t.ElementType, Markup.Escape(Shape(t)), Markup.Escape(t.Description));
        return table;
    }

    static Table OpsTable(GraphInspection g)
    {
        var table = new Table().Title(Markup.Escape($"{g.Signature.Name}: ONNX ops")).AddColumn("op").AddColumn(new TableColumn("nodes").RightAligned());
        foreach (var op in g.Ops) table.AddRow(Markup.Escape(op.Domain == "" ? op.OpType : $"{op.Domain}.{op.OpType}"), op.Count.ToString(CultureInfo.InvariantCulture));
        return table;
    }

    static Table FilesTable(IReadOnlyList<ArtifactFile> files)
    {
        var table = new Table().Title("files").AddColumn("path").AddColumn(new TableColumn("size").RightAligned());
        foreach (var f in files) table.AddRow(Markup.Escape(f.Path), f.Bytes < 0 ? "[red]missing[/]" : Bytes(f.Bytes));
        table.AddRow($"{files.Count} files", Bytes(files.Where(f => f.Bytes > 0).Sum(f => f.Bytes)));
        return table;
    }

    static string Shape(TensorSignature t) => $"({string.Join(", ", t.Shape)})";

    static string Bytes(long bytes) => bytes >= 1_000_000 ? $"{bytes / 1e6:F2} MB" : bytes >= 1_000 ? $"{bytes / 1e3:F1} kB" : $"{bytes} B";

    /// <summary>Counts as integers (3000, not 3E+03), scores to three significant digits.</summary>
    static string Number(double x) => x == Math.Round(x) && Math.Abs(x) < 1e12 ? x.ToString("0", CultureInfo.InvariantCulture) : G(x);

    static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
}
