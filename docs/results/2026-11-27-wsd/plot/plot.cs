#:project ../../../../eval/Pipeline.Eval.csproj
// Stage-0b loss and learning rate: one WSD schedule against the stitched cosines (dotnet run plot.cs, from this folder).
using System.Text.Json;
using Pipeline.Eval.Plots;

static Series Curve(string label, string value, string path, int to)
{
    var rows = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement)
        .Where(r => r.GetProperty("step").GetInt32() <= to).ToArray();
    return new Series(label, rows.Select(r => r.GetProperty("step").GetDouble()).ToArray(), rows.Select(r => r.GetProperty(value).GetDouble()).ToArray());
}

const string Earlier = "../../2026-11-26-transcript-20k";
Series[] All(string value) =>
[
    Curve("2 CPU cores, cosine restarted at 2,000 and 4,000 (session 11-12)", value, $"{Earlier}/cpu/0b-metrics-0-6000.jsonl", 6000),
    Curve("H100, one cosine over 4,000 from scratch", value, $"{Earlier}/device/scratch-4k-metrics.jsonl", 4000),
    Curve("2 CPU cores, one WSD over 3,000 from scratch, peak 1e-3 (--schedule 0b=wsd)", value, "../cpu/0b-wsd-3000-metrics.jsonl", 3000),
    Curve("2 CPU cores, one WSD over 1,000 from scratch, peak 5e-4 (--lr 0b=5e-4)", value, "../cpu/0b-wsd-lr5e-4-1000-metrics.jsonl", 1000),
];
LineChart.Save("../curves-0b.png", "Stage 0b on transcripts: loss (answer + every token)", "step", "loss", All("loss"), logY: true);
LineChart.Save("../lr-0b.png", "Stage 0b on transcripts: learning rate", "step", "learning rate", All("lr"), logY: true);
Console.WriteLine("wrote ../curves-0b.png, ../lr-0b.png");
