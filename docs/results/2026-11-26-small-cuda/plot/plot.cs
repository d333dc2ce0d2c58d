#:project ../../../../eval/Pipeline.Eval.csproj
// Stage-0b loss curves of this folder's runs against the CPU default (dotnet run plot.cs, from this folder).
using System.Text.Json;
using Pipeline.Eval.Plots;

static Series Curve(string label, string path)
{
    var rows = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
    return new Series(label, rows.Select(r => r.GetProperty("step").GetDouble()).ToArray(), rows.Select(r => r.GetProperty("loss").GetDouble()).ToArray());
}

var series = new List<Series>
{
    Curve("H100, 11,000 steps (37.5%)", "../device/long-0b-metrics.jsonl"),
    Curve("2 CPU cores, 1,000 steps, small default (36.8%)", "../cpu/0b-metrics-seed1.jsonl"),
    Curve("2 CPU cores, two-object scenes, 1,000 steps (45.9%)", "../experiments/e-0b-n2/metrics-1000.jsonl"),
};
if (File.Exists("../experiments/e-0b-n2/metrics-3000.jsonl"))
    series.Add(Curve("2 CPU cores, two-object scenes, 3,000 steps (44.8%)", "../experiments/e-0b-n2/metrics-3000.jsonl"));
LineChart.Save("../curves-0b.png", "Stage 0b loss (answer + every token), val accuracy in brackets", "step", "loss", series, logY: true);
Console.WriteLine("wrote ../curves-0b.png");
