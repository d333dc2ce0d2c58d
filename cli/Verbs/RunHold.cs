using Pipeline.Cli.Console;

namespace Pipeline.Cli.Verbs;

/// <summary>What every verb that writes a run does first: take the run's lock and clear what an interrupted write left.</summary>
public static class RunHold
{
    public static RunLock Take(string runDir, Terminal terminal)
    {
        if (File.Exists(runDir)) throw new IOException($"run folder {runDir} is a file; pass --run a folder (it is made if missing)");
        var hold = RunLock.Acquire(runDir);
        int swept = hold.SweepTemporaries(runDir);
        if (swept > 0) terminal.Info($"removed {swept} temporary file(s) or folder(s) an interrupted run left in {runDir}");
        return hold;
    }
}
