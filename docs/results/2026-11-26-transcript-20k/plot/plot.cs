#:project ../../../../eval/Pipeline.Eval.csproj
// Stage-0b loss and learning rate of the transcript runs (dotnet run plot.cs, from this folder).
using System.Text.Json;
using Pipeline.Eval.Plots;

static Series Curve(string label, string value, params (string Path, int From, int To)[] parts)
{
    var rows = parts.SelectMany(p => File.ReadLines(p.Path).Select(l => JsonDocument.Parse(l).RootElement)
        .Where(r => r.GetProperty("step").GetInt32() is var s && s > p.From && s <= p.To)).ToArray();
    return new Series(label, rows.Select(r => r.GetProperty("step").GetDouble()).ToArray(), rows.Select(r => r.GetProperty(value).GetDouble()).ToArray());
}

Series[] Both(string value) =>
[
    Curve("2 CPU cores to 6,000, H100 to 20,000; cosine restarted at 2,000, 4,000, 6,200 (99.3%)", value,
        ("../cpu/0b-metrics-0-6000.jsonl", 0, 6000), ("../device/long-0b-metrics.jsonl", 6000, 20000)),
    Curve("H100, one cosine over 4,000 from scratch (43.9%)", value, ("../device/scratch-4k-metrics.jsonl", 0, 4000)),
];
LineChart.Save("../curves-0b.png", "Stage 0b on transcripts: loss (answer + every token), val accuracy in brackets", "step", "loss", Both("loss"), logY: true);
LineChart.Save("../lr-0b.png", "Stage 0b on transcripts: learning rate", "step", "learning rate", Both("lr"), logY: true);
Console.WriteLine("wrote ../curves-0b.png, ../lr-0b.png");
