#:project ../../../../eval/Pipeline.Eval.csproj
// Stage 0b on pixel-coordinate transcripts with AdamW's beta2 at 0.999 and at 0.99: the loss of the
// three runs and the val accuracy of the two with val curves (per category for the 0.999 run) (dotnet run plot.cs, from this folder).
using System.Text.Json;
using Pipeline.Eval.Plots;

static JsonElement[] Rows(string path) => File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

int last = Rows("../cpu/0b-pixel-b999-metrics.jsonl").Max(r => r.GetProperty("step").GetInt32());
// Every run as the mean loss of the 200 steps before each multiple of 200, so that the 2026-11-26
// run's 20- and 40-step logs compare with the 200-step logs of the others.
static Series Loss(string label, int toStep, params string[] paths)
{
    var rows = paths.SelectMany(Rows).Select(r => (Step: r.GetProperty("step").GetInt32(), Loss: r.GetProperty("loss").GetDouble())).Where(r => r.Step <= toStep).ToArray();
    var points = rows.GroupBy(r => (r.Step + 199) / 200 * 200).OrderBy(g => g.Key).Select(g => (Step: (double)g.Key, Loss: g.Average(r => r.Loss))).ToArray();
    return new Series(label, points.Select(p => p.Step).ToArray(), points.Select(p => p.Loss).ToArray());
}
LineChart.Save("../loss-0b-beta2.png", "Stage 0b on pixel transcripts, seed 1: loss (mean of 200 steps)", "step (batch 64)", "loss",
[
    // the 2026-11-26 run went on from 6,000 on an H100, with the same schedule
    Loss("beta2 0.999, 2026-11-26 (the 99.3% LM)", last, "../../2026-11-26-transcript-20k/cpu/0b-metrics-0-6000.jsonl", "../../2026-11-26-transcript-20k/device/long-0b-metrics.jsonl"),
    Loss("beta2 0.999, 2026-12-07", last, "../cpu/0b-pixel-b999-metrics.jsonl"),
    Loss("beta2 0.99, 2026-12-06/07 (restart)", last, "../../2026-12-06-foundation/cpu/0b-pixel-metrics.jsonl"),
], logY: true);

string[] absolute = ["color.abs", "shape.abs", "shape_color.abs"], relative = ["color.rel", "shape.rel", "shape_color.rel"];
static Series Mean(string label, JsonElement[] rows, string[] keys, int toStep)
{
    var kept = rows.Where(r => r.GetProperty("step").GetInt32() <= toStep).ToArray();
    return new(label, kept.Select(r => r.GetProperty("step").GetDouble()).ToArray(),
        kept.Select(r => 100 * keys.Average(k => r.GetProperty("per_category").GetProperty(k).GetDouble())).ToArray());
}
var b999 = Rows("../cpu/0b-pixel-b999-val_curve.jsonl");
var b99 = Rows("../../2026-12-06-foundation/cpu/0b-pixel-val_curve.jsonl");
LineChart.Save("../val-0b-beta2.png", "Stage 0b on pixel transcripts: text accuracy on 600 val questions", "step (batch 64)", "accuracy (%)",
[
    Mean("beta2 0.999, shape absolute", b999, ["shape.abs"], last), Mean("beta2 0.999, colour absolute", b999, ["color.abs"], last),
    Mean("beta2 0.999, shape+colour absolute", b999, ["shape_color.abs"], last), Mean("beta2 0.999, relative (mean of 3)", b999, relative, last),
    Mean("beta2 0.99, absolute (mean of 3)", b99, absolute, last), Mean("beta2 0.99, relative (mean of 3)", b99, relative, last),
], yLimits: (0, 160));
Console.WriteLine("wrote ../loss-0b-beta2.png, ../val-0b-beta2.png");
