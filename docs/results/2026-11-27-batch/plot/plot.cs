#:project ../../../../eval/Pipeline.Eval.csproj
// Stage-0b loss against sequences seen (steps × batch) for batch 64, 32, 16 and 8 (dotnet run plot.cs, from this folder).
using System.Text.Json;
using Pipeline.Eval.Plots;

static Series Curve(string label, string path, int batch, int toSequences)
{
    var rows = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement)
        .Where(r => r.GetProperty("step").GetInt32() * batch <= toSequences).ToArray();
    return new Series(label, rows.Select(r => r.GetProperty("step").GetDouble() * batch / 1000).ToArray(), rows.Select(r => r.GetProperty("loss").GetDouble()).ToArray());
}

const string Stitched = "../../2026-11-26-transcript-20k/cpu/0b-metrics-0-6000.jsonl", Restarts = "../../2026-11-27-restarts/cpu";
Series[] Runs(int to) =>
[
    Curve("batch 64, restarts:2000/4000 (the stitched run)", Stitched, 64, to),
    Curve("batch 64, WSD 5e-4 over 3,000 (session 14)", $"{Restarts}/0b-wsd-lr5e-4-3000-metrics.jsonl", 64, to),
    Curve("batch 32, WSD 5e-4 over 3,000, stopped at 1,590 (session 14)", $"{Restarts}/0b-wsd-lr5e-4-3000-b32-partial-metrics.jsonl", 32, to),
    Curve("batch 16, restarts:2000/4000 over 6,000, stopped at 840", "../cpu/0b-b16-partial-metrics.jsonl", 16, to),
    Curve("batch 8, restarts:2000/4000 over 6,000", "../cpu/0b-b8-6000-metrics.jsonl", 8, to),
    Curve("batch 8, the stitched run's learning rate per sequence", "../cpu/0b-b8-matched-metrics.jsonl", 8, to),
];
LineChart.Save("../curves-0b-sequences.png", "Stage 0b on transcripts: loss against sequences seen", "sequences seen (thousands)", "loss", Runs(60_000), logY: true);
LineChart.Save("../curves-0b-sequences-long.png", "Stage 0b on transcripts: loss against sequences seen", "sequences seen (thousands)", "loss", Runs(200_000), logY: true);
Console.WriteLine("wrote ../curves-0b-sequences.png, ../curves-0b-sequences-long.png");
