namespace Pipeline.Tests.Build;

/// <summary>
/// build/Pipeline.targets against a fake CLI (a shell script that writes the stage records the way
/// the real one does, in milliseconds): which stage targets MSBuild skips and which it runs when
/// parameters change, records disappear or a stage fails. The fake logs every call, so the tests
/// also see which stages actually reached the CLI.
/// </summary>
public sealed class StampLogicTests
{
    const string FakeCli = """
        #!/usr/bin/env bash
        # Fake `pipeline`: `stage NAME --run DIR ...` writes DIR/state/NAME.json from the stage's
        # parameters and the hash of its upstream record, prints `NAME: up to date` when that would
        # not change it, logs each call to DIR/calls.log; FAKE_FAIL=NAME makes that stage fail.
        # `validate DIR` checks DIR/hashes.sha256: exit 2 on a mismatch.
        set -euo pipefail
        verb=$1; shift
        if [ "$verb" = validate ]; then
          if (cd "$1" && sha256sum --quiet -c hashes.sha256 >/dev/null 2>&1); then echo "validate: $1 ok"; exit 0; fi
          echo "error: $1: a file does not match its hash" >&2; exit 2
        fi
        [ "$verb" = stage ] || { echo "error: unknown verb $verb" >&2; exit 2; }
        name=$1; shift
        out= preset= variant= ep= opset= device=
        while [ $# -gt 0 ]; do
          case $1 in
            --run) out=$2;; --preset) preset=$2;; --variant) variant=$2;; --ep) ep=$2;; --opset) opset=$2;; --device) device=$2;;
            *) echo "error: unknown option $1" >&2; exit 2;;
          esac; shift 2
        done
        [ "$ep" = auto ] && ep=cpu   # no GPU: auto resolves to cpu, and the record keeps what ran
        case $name in
          data) up=; params="preset=$preset";;
          pretrain) up=data; params="preset=$preset device=$device";;
          train) up=pretrain; params="preset=$preset variant=$variant device=$device";;
          export) up=train; params="opset=$opset";;
          validate) up=export; params="ep=$ep";;
          eval) up=validate; params="ep=$ep";;
          report) up=eval; params="";;
          *) echo "error: unknown stage $name" >&2; exit 2;;
        esac
        mkdir -p "$out/state"
        echo "$name" >> "$out/calls.log"
        if [ "${FAKE_FAIL:-}" = "$name" ]; then echo "$name: working"; echo "error: $name failed on purpose" >&2; exit 3; fi
        upstream=
        if [ -n "$up" ]; then
          [ -f "$out/state/$up.json" ] || { echo "error: $up has not run" >&2; exit 2; }
          upstream=$(sha256sum < "$out/state/$up.json" | cut -c1-64)
        fi
        record="{\"stage\":\"$name\",\"params\":\"$params\",\"upstream\":\"$upstream\"}"
        if [ -f "$out/state/$name.json" ] && [ "$(cat "$out/state/$name.json")" = "$record" ]; then echo "$name: up to date"; exit 0; fi
        echo "$record" > "$out/state/$name.json.tmp" && mv "$out/state/$name.json.tmp" "$out/state/$name.json"
        echo "$name: done"
        """;

    string _dir = "", _cli = "", _run = "";

    string CallsLog => Path.Combine(_run, "calls.log");

    [OneTimeSetUp]
    public void WriteTheFakeCliAndRunEveryStage()
    {
        _dir = MSBuildRunner.Scratch("stamps");
        string script = Path.Combine(_dir, "fake-pipeline");
        File.WriteAllText(script, FakeCli.ReplaceLineEndings("\n") + "\n");
        _cli = $"bash {script}"; // PipelineCli is a command line
        _run = Path.Combine(_dir, "run");

        var first = Build();
        Assert.That(first.Succeeded, first.ToString());
        Assert.That(first.RanTargets, Is.EqualTo(BuildResult.Targets), first.ToString());
        Assert.That(Calls(), Is.EqualTo(new[] { "data", "pretrain", "train", "export", "validate", "eval", "report" }));
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The Pipeline target on the fake CLI; baseline parameters unless overridden.</summary>
    [Test]
    public void APropertyThatWouldRunACommandIsRefusedBeforeAnyStage()
    {
        string marker = Path.Combine(_dir, "ran");
        var result = Build(new() { ["PipelineOut"] = _run + "$(touch " + marker + ")" });
        Assert.That(result.Succeeded, Is.False, result.ToString());
        Assert.That(result.ToString(), Does.Contain("Pipeline properties may hold only letters"));
        Assert.That(File.Exists(marker), Is.False, "the command substitution never ran");
        Assert.That(Calls(), Is.Empty, "no stage reached the CLI");
    }

    BuildResult Build(Dictionary<string, string>? overrides = null, IDictionary<string, string>? environment = null, string target = "Pipeline")
    {
        var properties = new Dictionary<string, string>
        {
            ["PipelineCli"] = _cli, ["PipelineOut"] = _run, ["PipelinePreset"] = "tiny",
            ["PipelineOpset"] = "17", ["PipelineEp"] = "auto", ["PipelineVariant"] = "all",
        };
        foreach (var (k, v) in overrides ?? []) properties[k] = v;
        return MSBuildRunner.Stages(target, properties, environment);
    }

    /// <summary>The CLI calls logged since the last call of this method.</summary>
    string[] Calls()
    {
        if (!File.Exists(CallsLog)) return [];
        var calls = File.ReadAllLines(CallsLog);
        File.Delete(CallsLog);
        return calls;
    }

    /// <summary>Back to the baseline parameters, every stage up to date.</summary>
    void Baseline()
    {
        var result = Build();
        Assert.That(result.Succeeded, result.ToString());
        Calls();
    }

    /// <summary>Exactly <paramref name="targets"/> ran; every other stage up to <paramref name="last"/> was skipped as up to date.</summary>
    static void AssertRanExactly(BuildResult result, string[] targets, string last = "Report")
    {
        Assert.That(result.Succeeded, result.ToString());
        Assert.That(result.RanTargets, Is.EqualTo(targets), result.ToString());
        foreach (var t in BuildResult.Targets.Take(Array.IndexOf(BuildResult.Targets, last) + 1).Except(targets))
            Assert.That(result.Skipped(t), $"{t} should be skipped as up to date\n{result}");
    }

    [Test]
    public void ASecondBuildSkipsEveryStageWithoutCallingTheCli()
    {
        Baseline();
        var stamps = BuildResult.Targets.ToDictionary(t => t, t => File.GetLastWriteTimeUtc(Path.Combine(_run, "state", t.ToLowerInvariant() + ".stamp")));
        AssertRanExactly(Build(), []);
        Assert.That(Calls(), Is.Empty);
        foreach (var (t, time) in stamps)
            Assert.That(File.GetLastWriteTimeUtc(Path.Combine(_run, "state", t.ToLowerInvariant() + ".stamp")), Is.EqualTo(time), $"{t}'s stamp was rewritten");
    }

    [Test]
    public void ChangingTheOpsetRerunsExportAndEverythingAfterIt()
    {
        Baseline();
        AssertRanExactly(Build(new() { ["PipelineOpset"] = "23" }), ["Export", "Validate", "Eval", "Report"]);
        Assert.That(Calls(), Is.EqualTo(new[] { "export", "validate", "eval", "report" }));
        Assert.That(File.ReadAllText(Path.Combine(_run, "state", "export.stamp")), Does.Contain("opset=23"));
        AssertRanExactly(Build(new() { ["PipelineOpset"] = "23" }), []);
    }

    [Test]
    public void ChangingTheVariantRerunsTrainAndEverythingAfterIt()
    {
        Baseline();
        AssertRanExactly(Build(new() { ["PipelineVariant"] = "norm" }), ["Train", "Export", "Validate", "Eval", "Report"]);
        Assert.That(Calls(), Is.EqualTo(new[] { "train", "export", "validate", "eval", "report" }));
    }

    [Test]
    public void ChangingThePresetRerunsEverything()
    {
        Baseline();
        AssertRanExactly(Build(new() { ["PipelinePreset"] = "quick" }), BuildResult.Targets);
    }

    /// <summary>
    /// ep auto → cpu: the stamps of Validate and Eval change, the CLI finds them up to date (auto
    /// resolved to cpu) and leaves their records as they were, so Report's stamp stays the same and
    /// Report is skipped; the records are touched, so the next build skips everything.
    /// </summary>
    [Test]
    public void AStageTheCliFindsUpToDateStopsTheCascadeAndIsSkippedNextTime()
    {
        Baseline();
        var result = Build(new() { ["PipelineEp"] = "cpu" });
        AssertRanExactly(result, ["Validate", "Eval"]);
        Assert.That(result.Output, Does.Contain("validate: up to date").And.Contain("eval: up to date"));
        Assert.That(Calls(), Is.EqualTo(new[] { "validate", "eval" }));
        AssertRanExactly(Build(new() { ["PipelineEp"] = "cpu" }), []);
        Assert.That(Calls(), Is.Empty);
    }

    /// <summary>A deleted record re-runs its stage; the record comes back byte for byte, so the stages after it are skipped.</summary>
    [Test]
    public void ADeletedRecordRerunsOnlyItsStageWhenItComesBackIdentical()
    {
        Baseline();
        File.Delete(Path.Combine(_run, "state", "pretrain.json"));
        AssertRanExactly(Build(), ["Pretrain"]);
        Assert.That(Calls(), Is.EqualTo(new[] { "pretrain" }));
    }

    [Test]
    public void AFailingStageFailsTheBuildNamingTheStageAndItsErrorAndRunsAgainNextTime()
    {
        Baseline();
        var failed = Build(new() { ["PipelineOpset"] = "23" }, new Dictionary<string, string> { ["FAKE_FAIL"] = "validate" });
        Assert.That(failed.Succeeded, Is.False, failed.ToString());
        Assert.That(failed.Output, Does.Contain("error : Pipeline stage validate failed (exit code 3): error: validate failed on purpose"));
        Assert.That(failed.Output, Does.Contain("validate: working"), "the CLI's output reaches the log");
        Assert.That(failed.Ran("Eval"), Is.False);
        Assert.That(Calls(), Is.EqualTo(new[] { "export", "validate" }));

        AssertRanExactly(Build(new() { ["PipelineOpset"] = "23" }), ["Validate", "Eval", "Report"]);
        Assert.That(Calls(), Is.EqualTo(new[] { "validate", "eval", "report" }));
    }

    [Test]
    public void ASingleStageTargetRunsOnlyWhatItNeeds()
    {
        Baseline();
        AssertRanExactly(Build(new() { ["PipelineOpset"] = "23" }, target: "Export"), ["Export"], last: "Export");
        Assert.That(Calls(), Is.EqualTo(new[] { "export" }));
        var rest = Build(new() { ["PipelineOpset"] = "23" });
        AssertRanExactly(rest, ["Validate", "Eval", "Report"]);
    }
}
