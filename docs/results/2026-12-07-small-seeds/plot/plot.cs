#:project ../../../../eval/Pipeline.Eval.csproj
// Stage 2's validation curves in the study over seeds, one line per seed: overall 2DS val accuracy
// one file per variant, the relative questions in one file of panels (dotnet run plot.cs, from this folder).
using System.Text.Json;
using Pipeline.Eval.Plots;

string[] variants = ["baseline", "norm", "norm-multilayer"];
var seeds = Directory.GetFiles("../cpu", "seed-*-baseline-val_curve.jsonl").Select(f => Path.GetFileName(f).Split('-')[1]).Order().ToArray();
Series Curve(string seed, string variant, string key)
{
    var rows = File.ReadLines($"../cpu/seed-{seed}-{variant}-val_curve.jsonl").Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
    return new($"seed {seed}", rows.Select(r => r.GetProperty("step").GetDouble()).ToArray(), rows.Select(r => 100 * r.GetProperty(key).GetDouble()).ToArray());
}
// One file per variant, so that a seed has the same colour in each; the range leaves the legend room above the curves.
foreach (var v in variants)
    LineChart.Save($"../val-stage2-{v}.png", $"{v}: stage-2 val accuracy per seed (600 questions)", "stage-2 step", "accuracy (%)",
        seeds.Select(s => Curve(s, v, "accuracy")).ToArray(), yLimits: (25, 100));
LineChart.SavePanels("../val-stage2-seeds-relative.png", variants.Select(v =>
    new LinePanel($"{v}: relative questions on val (chance 50%)", "stage-2 step", "accuracy (%)", seeds.Select(s => Curve(s, v, "relative")).ToArray())).ToArray());
Console.WriteLine("wrote ../val-stage2-VARIANT.png and ../val-stage2-seeds-relative.png");
