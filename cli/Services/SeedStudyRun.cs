using Pipeline.Cli.Stages;
using Pipeline.Eval;
using Pipeline.Eval.Study;
using Pipeline.Study.Reports;

namespace Pipeline.Cli.Services;

/// <summary>
/// The study over seeds: every variant trained, exported, validated and evaluated once per seed,
/// each seed a run of its own under RUN/seeds/seed-N that shares RUN/data and starts from the same
/// foundation models; then the claims judged over the seeds in RUN/report/seeds.md. Each seed's
/// run resumes as any run does, so an interrupted study goes on where it stopped.
/// </summary>
public static class SeedStudyRun
{
    /// <summary>More seeds than this would take days on a CPU; the interval barely narrows past it.</summary>
    public const int MaxSeeds = 20;

    /// <summary>In a study, stage 2 runs until its validation accuracy plateaus (3 checkpoints without half a point), at least the preset's steps (what a single run trains) and at most twice them.</summary>
    public const int Patience = 3, CapFactor = 2;

    /// <summary>Refuses a study that cannot run, before anything is written.</summary>
    public static void Check(StageSettings settings, int count)
    {
        if (count < 1 || count > MaxSeeds) throw new ArgumentException($"--seeds {count}: use 1 to {MaxSeeds} (5 give intervals worth reading)");
        if (settings.Foundations is null)
            throw new ArgumentException("a study over seeds starts every seed from the same foundation models: use --foundations auto, shipped or a folder (run 'pipeline pretrain' to make them)");
    }

    public static string Run(StageSettings settings, int count)
    {
        Check(settings, count);
        var seeds = Enumerable.Range(0, count).Select(i => settings.Preset.Seed + (ulong)i).ToArray();
        var terminal = settings.Terminal;
        StageEngine.Run(StageEngine.Parse("data"), settings);
        var runs = new List<SeedEvaluations>();
        for (int i = 0; i < seeds.Length; i++)
        {
            var seed = seeds[i];
            var preset = settings.Preset with { Seed = seed, Qa2 = settings.Preset.Qa2.UntilPlateau(CapFactor * settings.Preset.Qa2.Steps, Patience, minSteps: settings.Preset.Qa2.Steps) };
            var s = settings with { Preset = preset, RunDir = settings.Layout.Seed(seed) };
            terminal.Info($"seed {seed} ({i + 1} of {seeds.Length}) in {s.RunDir}");
            ShareData(settings.RunDir, s.RunDir);
            foreach (var stage in StageEngine.All) StageEngine.Run(stage, s);
            runs.Add(new SeedEvaluations((int)seed, s.Models.ToDictionary(m => m.Name, m => EvalFiles.Read(s.EvalDir(m))),
                s.Models.ToDictionary(m => m.Name, m => Stage2Of(s, m))));
        }
        var result = SeedStudy.Analyse(runs);
        string report = SeedStudyReport.Write(result, runs, settings.Preset.Name, settings.ReportDir);
        foreach (var c in result.Claims)
            terminal.Info($"{Pipeline.Eval.Reports.ReportTables.VerdictText(c.Verdict),-26} {c.Claim}: {Pipeline.Eval.Reports.ReportTables.Interval(c.Ours, c.Unit)}");
        terminal.Info($"study over {seeds.Length} seeds: {report}");
        return report;
    }

    /// <summary>How a model's stage 2 ended: where it stopped, why, and the best relative accuracy its validation curve reached.</summary>
    static Stage2Run Stage2Of(StageSettings s, ModelKey m)
    {
        string dir = s.Layout.Stage(m.Name, Pipeline.Train.Training.VariantTraining.QaStage);
        var state = Pipeline.Train.Training.StageRunner.ReadState(dir);
        var curve = Pipeline.Train.Training.ValCurve.Read<Pipeline.Data.Stage2Point>(dir);
        return new Stage2Run(state?.Step ?? 0, state?.Steps ?? 0, state?.Plateaued ?? false, curve);
    }

    /// <summary>Every seed reads the study's data splits through a link instead of a copy of its own (a split of the small preset is 200 MB).</summary>
    static void ShareData(string studyRun, string seedRun)
    {
        string link = Path.Combine(seedRun, RunLayout.DataFolder), target = Path.Combine(studyRun, RunLayout.DataFolder);
        Directory.CreateDirectory(seedRun);
        if (Directory.Exists(link) || File.Exists(link)) return;
        Directory.CreateSymbolicLink(link, target);
    }
}
