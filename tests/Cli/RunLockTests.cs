using static Pipeline.Tests.Cli.CliRunner;

namespace Pipeline.Tests.Cli;

/// <summary>One process per run folder, and what an interrupted write left is cleared by the next run.</summary>
public sealed class RunLockTests
{
    [Test]
    public void ASecondHolderIsRefusedInOneLineNamingTheFirst()
    {
        string run = TestScratch.Dir("lock");
        using (RunLock.Acquire(run))
        {
            var e = Assert.Throws<IOException>(() => RunLock.Acquire(run))!;
            Assert.That(e.Message, Does.Contain("in use by another pipeline process").And.Contain($"pid {Environment.ProcessId}"));
            Assert.That(e.Message.Split('\n'), Has.Length.EqualTo(1));
        }
        using (RunLock.Acquire(run)) { }  // released with its holder
    }

    [Test]
    public void ARunOnAHeldFolderExitsTwoAndTouchesNothing()
    {
        string run = TestScratch.Dir("lock-run");
        using (RunLock.Acquire(run))
        {
            var (code, error) = Run("run", "--preset", "tiny", "--out", run, "--ep", "cpu");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.Contain("is in use by another pipeline process"));
            Assert.That(Directory.EnumerateFileSystemEntries(run).Select(Path.GetFileName), Is.EquivalentTo(new[] { RunLock.FileName, RunLock.HolderFile }), "the refused run wrote nothing");
        }
        Assert.That(Directory.Exists(run), Is.False, "releasing removes the lock's files and the folder the lock made");
    }

    [Test]
    public void TemporariesOfAnInterruptedWriteAreSwept()
    {
        string run = TestScratch.Dir("lock-sweep");
        string leftFolder = Path.Combine(run, "artifacts", ".norm.tmp-0123abcd");
        string leftFile = Path.Combine(run, "eval", ".eval.json.tmp-4567ef");
        Directory.CreateDirectory(leftFolder);
        File.WriteAllText(Path.Combine(leftFolder, "vision.onnx"), "half");
        Directory.CreateDirectory(Path.GetDirectoryName(leftFile)!);
        File.WriteAllText(leftFile, "half");
        string kept = Path.Combine(run, "eval", "eval.json");
        File.WriteAllText(kept, "{}");
        using var hold = RunLock.Acquire(run);
        Assert.That(hold.SweepTemporaries(run), Is.EqualTo(2));
        Assert.That(Directory.Exists(leftFolder), Is.False);
        Assert.That(File.Exists(leftFile), Is.False);
        Assert.That(File.Exists(kept));
    }
}
