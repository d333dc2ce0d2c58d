using Pipeline.Tests.Eval.Study;

namespace Pipeline.Tests.Cli;

/// <summary>
/// More than a hundred kinds of bad command line, every verb: each must end in exit 2 and one line
/// on standard error that starts with "error:", with no stack trace, no exception name and no
/// silent success.
/// </summary>
public sealed class BadInputCensusTests
{
    const string Missing = "/nonexistent/pipeline-census";

    /// <summary>A placeholder replaced by a real artifact folder of the tiny study, so that only the bad option is wrong.</summary>
    const string Artifact = "{artifact}";

    /// <summary>A placeholder replaced by an existing plain file.</summary>
    const string AFile = "{file}";

    /// <summary>A placeholder replaced by a fresh empty folder.</summary>
    const string Empty = "{empty}";

    static readonly string[][] Cases =
    [
        // The command line itself
        ["nosuchverb"], ["--bogus"], ["run", "--bogus"], ["run", "--preset"], ["data", "--images"], ["stage"],
        // data
        ["data", "--split", "bogus", "--out", Empty], ["data", "--images", "0", "--out", Empty], ["data", "--images", "-5", "--out", Empty],
        ["data", "--images", "abc", "--out", Empty], ["data", "--images", "2000000000", "--out", Empty], ["data", "--image-size", "8", "--out", Empty],
        ["data", "--image-size", "100000", "--out", Empty], ["data", "--questions-per-category", "0", "--out", Empty],
        ["data", "--questions-per-category", "50", "--out", Empty], ["data", "--split", "test", "--images", "7", "--out", Empty],
        ["data", "--threads", "0", "--out", Empty], ["data", "--threads", "100000", "--out", Empty], ["data", "--out", AFile],
        ["data", "--split", "test", "--questions-per-category", "2", "--out", Empty], ["data", "--seed", "-3", "--out", Empty],
        // pretrain
        ["pretrain", "--preset", "huge"], ["pretrain", "--preset", "tiny", "--steps", "0a=abc", "--run", Empty],
        ["pretrain", "--preset", "tiny", "--steps", "zz=5", "--run", Empty], ["pretrain", "--preset", "tiny", "--lr", "0a=-1", "--run", Empty],
        ["pretrain", "--preset", "tiny", "--batch", "0a=0", "--run", Empty], ["pretrain", "--preset", "tiny", "--schedule", "0b=bogus", "--run", Empty],
        ["pretrain", "--preset", "tiny", "--text-format", "bogus", "--run", Empty], ["pretrain", "--preset", "tiny", "--device", "tpu", "--run", Empty],
        ["pretrain", "--preset", "tiny", "--threads", "0", "--run", Empty], ["pretrain", "--preset", "tiny", "--from-checkpoints", "--run", Missing],
        ["pretrain", "--preset", "tiny", "--steps", "0a=-10", "--run", Empty], ["pretrain", "--preset", "tiny", "--out", AFile, "--run", Empty],
        // train
        ["train", "--preset", "tiny", "--run", Empty, "--norm-rule", "bogus"], ["train", "--preset", "tiny", "--run", Empty, "--pool", "0"],
        ["train", "--preset", "tiny", "--run", Empty, "--pool", "99"], ["train", "--preset", "tiny", "--run", Empty, "--until", "bogus"],
        ["train", "--preset", "tiny", "--run", Empty, "--variant", "bogus"], ["train", "--preset", "tiny", "--run", Empty, "--taps", "bogus"],
        ["train", "--preset", "tiny", "--run", Empty, "--norm-constants", "bogus"], ["train", "--preset", "tiny", "--run", Empty, "--threads", "-1"],
        ["train", "--preset", "tiny", "--run", Empty, "--lr", "2=abc"], ["train", "--preset", "tiny", "--run", Empty, "--steps", "2=0"],
        ["train", "--preset", "tiny", "--run", Empty, "--seed", "abc"], ["train", "--preset", "tiny", "--run", AFile],
        // export
        ["export"], ["export", "--checkpoint", Missing, "--out", Empty], ["export", "--checkpoint", Empty, "--out", Empty],
        ["export", "--checkpoint", AFile, "--out", Empty], ["export", "--checkpoint", Missing, "--out", Empty, "--opset", "12"],
        ["export", "--checkpoint", Missing, "--out", Empty, "--opset", "abc"], ["export", "--checkpoint", Missing, "--out", Empty, "--threads", "0"],
        // validate
        ["validate"], ["validate", Missing], ["validate", AFile], ["validate", Empty], ["validate", Artifact, "--ep", "tpu"],
        ["validate", Artifact, "--atol", "-1"], ["validate", Artifact, "--rtol", "NaN"], ["validate", Artifact, "--threads", "0"],
        ["validate", Artifact, "--threads", "999999"], ["validate", Artifact, "--json", Empty], ["validate", Artifact, "--atol", "abc"],
        // inspect
        ["inspect"], ["inspect", Missing], ["inspect", Empty], ["inspect", AFile], ["inspect", Artifact, "--json", Empty],
        // eval
        ["eval"], ["eval", "--artifact", Missing, "--data", Missing, "--out", Empty], ["eval", "--artifact", Artifact, "--data", Missing, "--out", Empty],
        ["eval", "--artifact", Artifact, "--data", Empty, "--out", Empty], ["eval", "--artifact", Artifact, "--data", "{test}", "--out", Empty, "--seeds", "-1"],
        ["eval", "--artifact", Artifact, "--data", "{test}", "--out", Empty, "--permutation", "bogus"],
        ["eval", "--artifact", Artifact, "--data", "{test}", "--out", Empty, "--batch", "0"],
        ["eval", "--artifact", Artifact, "--data", "{test}", "--out", Empty, "--ep", "bogus"],
        ["eval", "--artifact", Artifact, "--data", "{test}", "--out", Empty, "--threads", "0"], ["eval", "--artifact", Empty, "--data", "{test}", "--out", Empty],
        // compare
        ["compare"], ["compare", "--checkpoint", Missing, "--artifact", Artifact, "--data", "{test}", "--out", Empty],
        ["compare", "--checkpoint", Missing, "--artifact", Artifact, "--data", "{test}", "--out", Empty, "--limit", "0"],
        ["compare", "--checkpoint", Missing, "--artifact", Artifact, "--data", "{test}", "--out", Empty, "--ep", "bogus"],
        ["compare", "--checkpoint", Missing, "--artifact", Artifact, "--data", "{test}", "--out", Empty, "--threads", "0"],
        // report
        ["report", "--run", Missing], ["report", "--run", Empty], ["report", "--run", "{run}", "--preset", "huge"], ["report", "--run", "{run}", "--variant", "bogus"],
        // bench
        ["bench", "bogus"], ["bench", "train", "--steps", "0"], ["bench", "train", "--preset", "huge"], ["bench", "train", "--threads", "0"],
        ["bench", "eval"], ["bench", "export"], ["bench", "export", "--run", Missing], ["bench", "export", "--run", Empty],
        ["bench", "export", "--run", "{run}", "--opset", "99"], ["bench", "export", "--run", "{run}", "--variant", "bogus"],
        ["bench", "export", "--run", "{run}", "--questions", "0"], ["bench", "fuzz"], ["bench", "fuzz", "--artifact", Artifact, "--cases", "0"],
        ["bench", "fuzz", "--artifact", Missing], ["bench", "data", "--repeat", "0"], ["bench", "data", "--train-images", "0"],
        // stage
        ["stage", "bogus", "--run", Empty], ["stage", "data", "--run", Empty, "--opset", "99"], ["stage", "data", "--run", Empty, "--ep", "bogus"],
        ["stage", "train", "--preset", "tiny", "--run", Empty], ["stage", "data", "--run", Empty, "--compression", "99"],
        ["stage", "data", "--run", Empty, "--compression", "-1"], ["stage", "data", "--run", Empty, "--foundations", Missing],
        ["stage", "data", "--run", Empty, "--norm-rule", "bogus"], ["stage", "data", "--run", Empty, "--seed", "abc"],
        ["stage", "data", "--run", Empty, "--steps", "2=-5"], ["stage", "data", "--run", Empty, "--preset", "huge"],
        // run
        ["run", "--run", Empty, "--until", "bogus"], ["run", "--run", Empty, "--seeds", "0"], ["run", "--run", Empty, "--seeds", "99"],
        ["run", "--run", Empty, "--seeds", "2", "--until", "eval"], ["run", "--run", Empty, "--preset", "huge"], ["run", "--run", Empty, "--out", Missing],
        ["run", "--run", Empty, "--opset", "5"], ["run", "--run", Empty, "--variant", "none"], ["run", "--run", Empty, "--taps", "x"],
        ["run", "--run", Empty, "--lr", "1=abc"], ["run", "--run", Empty, "--schedule", "2=bogus"], ["run", "--run", Empty, "--batch", "2=0"],
        ["run", "--run", Empty, "--preset", "tiny", "--foundations", "scratch", "--seeds", "2"], ["run", "--run", Empty, "--device", "tpu"],
        ["run", "--run", Empty, "--text-format", "poem"], ["run", "--run", Empty, "--foundations", Missing], ["run", "--run", AFile],
        ["run", "--run", Empty, "--preset", "tiny", "--steps", "0b=-5"],
    ];

    static IEnumerable<TestCaseData> All() => Cases.Select((args, i) => new TestCaseData((object)args).SetName($"Case{i:D3}({string.Join(' ', args)})"));

    [Test]
    public void TheCensusHasMoreThanAHundredKinds() => Assert.That(Cases.Select(c => string.Join(' ', c)).Distinct().Count(), Is.GreaterThanOrEqualTo(100));

    [TestCaseSource(nameof(All))]
    public void ABadCommandLineIsOneLineAndExitTwo(string[] template)
    {
        string scratch = Directory.CreateDirectory(TestScratch.Dir("census")).FullName;
        string file = Path.Combine(scratch, "a-file.txt");
        File.WriteAllText(file, "not a folder");
        var args = template.Select(a => a switch
        {
            Artifact => TinyStudy.Artifact("baseline"),
            AFile => file,
            Empty => Directory.CreateDirectory(Path.Combine(scratch, $"empty-{Guid.NewGuid():N}")).FullName,
            "{test}" => TinyStudy.TestData,
            "{run}" => TinyStudy.RunDir,
            _ => a,
        }).ToArray();
        var before = Directory.GetFileSystemEntries(scratch, "*", SearchOption.AllDirectories).Where(e => !Path.GetFileName(e).StartsWith("empty-", StringComparison.Ordinal)).Order().ToArray();

        var (code, _, error) = CliOutput.Run(args);
        string[] lines = error.Trim().Split('\n');
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith("error:"));
        Assert.That(error, Does.Not.Contain("   at ").And.Not.Contain("Exception"));
        var after = Directory.GetFileSystemEntries(scratch, "*", SearchOption.AllDirectories).Where(e => !Path.GetFileName(e).StartsWith("empty-", StringComparison.Ordinal)).Order().ToArray();
        Assert.That(after, Is.EqualTo(before), "nothing written beside the inputs");
    }
}
