#:project ../../../../eval/Pipeline.Eval.csproj
// Stage-0b loss and learning rate: WSD at peak 5e-4 over 3,000 steps against the earlier schedules (dotnet run plot.cs, from this folder).
using System.Text.Json;
using Pipeline.Eval.Plots;

static Series Curve(string label, string value, string path, int to)
{
    var rows = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement)
        .Where(r => r.GetProperty("step").GetInt32() <= to).ToArray();
    return new Series(label, rows.Select(r => r.GetProperty("step").GetDouble()).ToArray(), rows.Select(r => r.GetProperty(value).GetDouble()).ToArray());
}

const string Stitched = "../../2026-11-26-transcript-20k/cpu/0b-metrics-0-6000.jsonl", Wsd = "../../2026-11-27-wsd/cpu";
Series[] All(string value) =>
[
    Curve("restarts:2000/4000, peak 1e-3 (the stitched run of sessions 11-12)", value, Stitched, 4000),
    Curve("WSD over 3,000, peak 1e-3 (session 13)", value, $"{Wsd}/0b-wsd-3000-metrics.jsonl", 3000),
    Curve("WSD over 1,000, peak 5e-4 (session 13)", value, $"{Wsd}/0b-wsd-lr5e-4-1000-metrics.jsonl", 1000),
    Curve("WSD over 3,000, peak 5e-4 (this session)", value, "../cpu/0b-wsd-lr5e-4-3000-metrics.jsonl", 3000),
];
LineChart.Save("../curves-0b.png", "Stage 0b on transcripts: loss (answer + every token)", "step", "loss", All("loss"), logY: true);
LineChart.Save("../lr-0b.png", "Stage 0b on transcripts: learning rate", "step", "learning rate", All("lr"), logY: true);
Console.WriteLine("wrote ../curves-0b.png, ../lr-0b.png");
