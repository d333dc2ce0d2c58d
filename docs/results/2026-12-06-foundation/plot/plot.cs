#:project ../../../../eval/Pipeline.Eval.csproj
// Stage 0b on grid-cell transcripts: text accuracy on val per category against steps, the loss
// beside the pixel-coordinate transcript run's, and the three routes' val curves side by side
// (dotnet run plot.cs, from this folder).
using System.Text.Json;
using Pipeline.Eval.Plots;

static JsonElement[] Rows(string path) => File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

var val = Rows("../cpu/0b-grid-val_curve.jsonl");
string[] categories = ["color.abs", "shape.abs", "shape_color.abs", "color.rel", "shape.rel", "shape_color.rel"];
var accuracy = categories.Select(c => new Series(c, val.Select(r => r.GetProperty("step").GetDouble()).ToArray(),
        val.Select(r => 100 * r.GetProperty("per_category").GetProperty(c).GetDouble()).ToArray()))
    .Append(new Series("overall", val.Select(r => r.GetProperty("step").GetDouble()).ToArray(), val.Select(r => 100 * r.GetProperty("accuracy").GetDouble()).ToArray()));
LineChart.Save("../val-0b-grid.png", "Stage 0b on grid-cell transcripts: text accuracy on 600 val questions", "step (batch 64)", "accuracy (%)", accuracy);

static Series Loss(string label, string path, int toStep)
{
    var rows = Rows(path).Where(r => r.GetProperty("step").GetInt32() <= toStep).ToArray();
    return new Series(label, rows.Select(r => r.GetProperty("step").GetDouble()).ToArray(), rows.Select(r => r.GetProperty("loss").GetDouble()).ToArray());
}
var grid = Rows("../cpu/0b-grid-metrics.jsonl");
int last = grid.Max(r => r.GetProperty("step").GetInt32());
LineChart.Save("../loss-0b-grid-vs-pixels.png", "Stage 0b on transcripts: loss (every token and the answers)", "step (batch 64)", "loss",
[
    Loss("pixel coordinates, restarts:2000/4000 (the 99.3% LM's first 6,000 steps)", "../../2026-11-26-transcript-20k/cpu/0b-metrics-0-6000.jsonl", Math.Max(last, 6_000)),
    Loss("grid cells (8 per side), the 20,000-step recipe", "../cpu/0b-grid-metrics.jsonl", last),
], logY: true);
// The three routes side by side: mean accuracy of the absolute and of the relative categories.
static Series Mean(string label, JsonElement[] rows, string[] keys) => new(label, rows.Select(r => r.GetProperty("step").GetDouble()).ToArray(),
    rows.Select(r => 100 * keys.Average(k => r.GetProperty("per_category").GetProperty(k).GetDouble())).ToArray());
Series[] Route(string name, JsonElement[] rows) =>
    [Mean($"{name}, absolute", rows, categories[..3]), Mean($"{name}, relative", rows, categories[3..])];
var positions = Rows("../cpu/0b-gridpos-val_curve.jsonl");
var pixels = Rows("../cpu/0b-pixel-val_curve.jsonl");
LineChart.Save("../val-0b-routes.png", "Stage 0b, three routes: text accuracy on 600 val questions", "step (batch 64)", "accuracy (%)",
[.. Route("grid-transcript", val), .. Route("grid-positions", positions), .. Route("transcript (pixels)", pixels)]);
Console.WriteLine("wrote ../val-0b-grid.png, ../loss-0b-grid-vs-pixels.png, ../val-0b-routes.png");
