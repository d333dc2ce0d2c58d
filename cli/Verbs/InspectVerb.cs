using System.Globalization;
using System.Text.Json;
using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Runtime;

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
        foreach (string line in Lines(inspection)) terminal.Info(line);
        return 0;
    }

    /// <summary>Everything inspect prints, each line at most <see cref="Width"/> columns.</summary>
    internal static IEnumerable<string> Lines(ArtifactInspection inspection) =>
        Manifest(inspection).Concat(inspection.Graphs.SelectMany(Graph)).Concat(Files(inspection.Files));

    /// <summary>A terminal's width: tables and paragraphs break between words, never inside one.</summary>
    internal const int Width = 80;

    static IEnumerable<string> Manifest(ArtifactInspection i)
    {
        var m = i.Manifest;
        return new[]
        {
            $"{m.Name} ({i.Directory})",
            $"variant {m.Variant}, format {m.FormatVersion}, opset {m.Opset}, IR {m.IrVersion}, producer {m.Producer.Name} {m.Producer.Version} (reference: {m.Producer.Reference})",
            $"adapters: {Adapters(m.Adapters)}",
            $"preprocessing: {m.Preprocessing.ImageSize}×{m.Preprocessing.ImageSize} {m.Preprocessing.ChannelOrder} {m.Preprocessing.Layout}, {m.Preprocessing.Formula}",
            $"prompt: {m.Prompt.Template} (max {m.Prompt.MaxSequenceLength} tokens, {m.Prompt.Padding} padding)",
            $"training: {m.Training.Checkpoint}" + (m.Training.Dataset is { } d ? $", data {d.Split} {d.Images} images / {d.Questions} questions (dataset.json {d.ManifestSha256[..12]}…)" : ""),
            $"training eval: {(m.Training.Evaluation is { } e ? Evaluation(e) : "none recorded")}",
            $"test vectors: {m.TestData.Sets.Count} set(s), atol {G(m.TestData.Atol)}, rtol {G(m.TestData.Rtol)}",
        }.SelectMany(line => Wrap(line, "    "));
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

    static IEnumerable<string> Graph(GraphInspection g)
    {
        var s = g.Signature;
        var lines = new List<string> { "" };
        lines.AddRange(Wrap($"graph {s.Name} ({s.File}, {Bytes(g.FileBytes)}): {s.Description}", "    "));
        lines.AddRange(Wrap($"  producer {g.Producer}, IR {g.IrVersion}, opsets {string.Join(", ", g.Opsets.Select(o => $"{(o.Domain == "" ? "ai.onnx" : o.Domain)} {o.Version}"))}", "    "));
        lines.Add($"  {g.Nodes} nodes, {g.Ops.Count} op types, {g.Initializers} initializers ({Bytes(g.InitializerBytes)})");
        lines.Add("");
        var rows = s.Inputs.Select(t => ("input", t)).Concat(s.Outputs.Select(t => (t.Intermediate ? "intermediate" : "output", t))).ToArray();
        int name = rows.Max(r => r.t.Name.Length), type = rows.Max(r => r.t.ElementType.Length);
        foreach (var (kind, t) in rows)
        {
            lines.AddRange(Wrap($"  {kind,-12}  {t.Name.PadRight(name)}  {t.ElementType.PadRight(type)}  {Shape(t)}", new string(' ', 18 + name + type)));
            lines.AddRange(Wrap($"      {t.Description}", "      "));
        }
        lines.Add("");
        lines.AddRange(Columns("  ONNX ops: ", g.Ops.Select(op => $"{(op.Domain == "" ? op.OpType : $"{op.Domain}.{op.OpType}")} {op.Count}")));
        return lines;
    }

    static IEnumerable<string> Files(IReadOnlyList<ArtifactFile> files)
    {
        int path = files.Max(f => f.Path.Length);
        var lines = new List<string> { "", "files:" };
        lines.AddRange(files.Select(f => $"  {f.Path.PadRight(path)}  {(f.Bytes < 0 ? "missing" : Bytes(f.Bytes)),9}"));
        lines.Add($"  {$"{files.Count} files".PadRight(path)}  {Bytes(files.Where(f => f.Bytes > 0).Sum(f => f.Bytes)),9}");
        return lines;
    }

    /// <summary>Items separated by commas after <paramref name="head"/>, wrapped under it.</summary>
    static IEnumerable<string> Columns(string head, IEnumerable<string> items) =>
        Wrap(head + string.Join(", ", items), new string(' ', head.Length));

    /// <summary>Breaks <paramref name="text"/> between words at <see cref="Width"/> columns; continuation lines start with <paramref name="indent"/>.</summary>
    internal static IEnumerable<string> Wrap(string text, string indent)
    {
        if (text.Length <= Width)
        {
            yield return text;  // aligned columns keep their spacing
            yield break;
        }
        string leading = text[..(text.Length - text.TrimStart().Length)];
        var line = new System.Text.StringBuilder(leading);
        bool empty = true;
        foreach (string word in text.TrimStart().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                yield return line.ToString();
                line.Clear().Append(indent);
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        yield return line.ToString();
    }

    static string Shape(TensorSignature t) => $"({string.Join(", ", t.Shape)})";

    static string Bytes(long bytes) => bytes >= 1_000_000 ? $"{bytes / 1e6:F2} MB" : bytes >= 1_000 ? $"{bytes / 1e3:F1} kB" : $"{bytes} B";

    /// <summary>Counts as integers (3000, not 3E+03), scores to three significant digits.</summary>
    static string Number(double x) => x == Math.Round(x) && Math.Abs(x) < 1e12 ? x.ToString("0", CultureInfo.InvariantCulture) : G(x);

    static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
}
