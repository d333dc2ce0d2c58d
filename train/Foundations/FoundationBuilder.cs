using System.Diagnostics;
using Pipeline.Data;
using Pipeline.Train.Text;
using Pipeline.Train.Training;

namespace Pipeline.Train.Foundations;

/// <summary>Writes a run's trained 0a and 0b as a foundation folder (vision/ and language/, each with its manifest).</summary>
public static class FoundationBuilder
{
    /// <param name="command">The command line that trained them, for the manifests.</param>
    /// <param name="device">Where they were trained (cpu or cuda), for the manifests.</param>
    public static FoundationSet Write(string outDir, TrainOptions o, TrainSummary summary, WordVocab vocab, string command, bool force)
    {
        var text = summary.Text ?? throw new InvalidOperationException("stage 0b did not run");
        var p = o.Preset;
        string stages = RunLayout.At(o.RunDir).Stages;
        string commit = Commit();
        string machine = Machine();
        var created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        FoundationProvenance Provenance(string stage, string recipe, out bool finished)
        {
            string dir = Path.Combine(stages, stage);
            var state = StageRunner.ReadState(dir) ?? throw new InvalidDataException($"{dir} has no checkpoint to write a foundation from; train it first");
            finished = state.Done;
            return new FoundationProvenance(command, commit, p.Seed, recipe, state.Step, WallSeconds(StageRunner.ReadMetrics(dir)), machine, o.Device, created);
        }
        var visionBy = Provenance(VisionPretraining.Stage, p.Vision0a.ToString(), out bool visionDone);
        if (!visionDone) throw new InvalidDataException($"stage 0a in {stages} is unfinished; finish it first (pipeline pretrain --resume)");
        var languageBy = Provenance(TextPretraining.Stage, $"{p.Text0b}; text format {p.TextFormatName}", out bool languageDone);
        AtomicDirectory.Write(outDir, force, tmp =>
        {
            Foundation.Write(Path.Combine(tmp, FoundationSet.VisionFolder), FoundationManifest.VisionEncoder, p.Name, FoundationSet.VisionConfigText(p), "",
                [(summary.Vision.EncoderPath, VisionPretraining.EncoderFile)], visionBy, FoundationSet.VisionScores(summary.Vision), true, force: false);
            Foundation.Write(Path.Combine(tmp, FoundationSet.LanguageFolder), FoundationManifest.LanguageModel, p.Name, FoundationSet.LanguageConfigText(p, vocab.Count),
                FoundationSet.VocabId(vocab), [(text.LanguageModelPath, TextPretraining.LanguageModelFile)], languageBy, FoundationSet.TextScores(text), languageDone, force: false);
        });
        return FoundationSet.Load(outDir);
    }

    /// <summary>Training time over every sitting: the metrics' clock restarts at each resume.</summary>
    public static double WallSeconds(IReadOnlyList<StepMetrics> metrics)
    {
        double total = 0, previous = 0;
        foreach (var m in metrics)
        {
            if (m.ElapsedS < previous) total += previous;
            previous = m.ElapsedS;
        }
        return total + previous;
    }

    static string Commit()
    {
        string head = Git("rev-parse HEAD");
        if (head.Length == 0) return "unknown";
        return Git("status --porcelain --untracked-files=no").Length > 0 ? head + " (with uncommitted changes)" : head;
    }

    static string Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (git is null) return "";
            string output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";  // no git on this machine
        }
    }

    static string Machine()
    {
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
        return $"{Environment.ProcessorCount} cores, {cpu}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
    }
}
