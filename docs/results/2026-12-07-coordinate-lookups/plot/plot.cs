#:project ../../../../eval/Pipeline.Eval.csproj
// Stage 0b's relative questions before and after the coordinate lookups were added at step 11,400:
// val accuracy per relative category and the absolute mean (dotnet run plot.cs, from this folder).
using System.Text.Json;
using Pipeline.Eval.Plots;

static JsonElement[] Rows(string path) => File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
static Series Mean(string label, IEnumerable<JsonElement> rows, string[] keys) =>
    new(label, rows.Select(r => r.GetProperty("step").GetDouble()).ToArray(),
        rows.Select(r => 100 * keys.Average(k => r.GetProperty("per_category").GetProperty(k).GetDouble())).ToArray());

string[] absolute = ["color.abs", "shape.abs", "shape_color.abs"];
var pixel = Rows("../../2026-12-07-adam-beta2/cpu/0b-pixel-b999-val_curve.jsonl").Where(r => r.GetProperty("step").GetInt32() >= 7_600).ToArray();
var positions = Rows("../cpu/0b-positions-val_curve.jsonl").Where(r => r.GetProperty("step").GetInt32() > 11_400).ToArray();
LineChart.Save("../val-0b-lookups.png", "Stage 0b, pixel transcripts; coordinate lookups added at step 11,400: val accuracy", "step (batch 64)", "accuracy (%)",
[
    Mean("transcripts, absolute (mean of 3)", pixel, absolute), Mean("transcripts, relative (mean of 3)", pixel, ["color.rel", "shape.rel", "shape_color.rel"]),
    Mean("+ lookups, absolute (mean of 3)", positions, absolute), Mean("+ lookups, colour relative", positions, ["color.rel"]),
    Mean("+ lookups, shape relative", positions, ["shape.rel"]), Mean("+ lookups, shape+colour relative", positions, ["shape_color.rel"]),
], yLimits: (0, 175));
Console.WriteLine("wrote ../val-0b-lookups.png");
