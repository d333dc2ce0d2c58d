namespace Pipeline.Core;

/// <summary>
/// An exclusive hold on a run folder for one process: a second run on the same folder is refused
/// in one line naming the holder, instead of both training the same stages and interleaving their
/// metrics. The lock is the operating system's (an exclusive open of RUN/.lock), so a process that
/// dies releases it and the next run takes it over.
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".lock", HolderFile = ".lock.holder";
    readonly FileStream _stream;
    readonly string _runDir;
    readonly bool _created;

    RunLock(FileStream stream, string runDir, bool created) => (_stream, _runDir, _created) = (stream, runDir, created);

    /// <summary>Takes the run folder's lock (creating the folder), or throws IOException naming who holds it.</summary>
    public static RunLock Acquire(string runDir)
    {
        bool created = !Directory.Exists(runDir);
        Directory.CreateDirectory(runDir);
        string path = Path.Combine(runDir, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new IOException($"{runDir} is in use by another pipeline process ({Holder(runDir)}); wait for it to finish or use another run folder");
        }
        // Who holds it, for the message a second process prints (the lock file itself cannot be read while held).
        File.WriteAllText(Path.Combine(runDir, HolderFile), $"pid {Environment.ProcessId} since {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}");
        return new RunLock(stream, runDir, created);
    }

    static string Holder(string runDir)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(runDir, HolderFile)).Trim();
            return text.Length > 0 ? text : "holder unknown";
        }
        catch (IOException)
        {
            return "holder unknown";
        }
    }

    /// <summary>
    /// Deletes the temporary folders and files an interrupted atomic write left in the run
    /// (".NAME.tmp-…"): only a process holding the lock may, so none of them is still being written.
    /// </summary>
    public int SweepTemporaries(string runDir)
    {
        int swept = 0;
        foreach (string path in Directory.EnumerateFileSystemEntries(runDir, ".*.tmp-*", SearchOption.AllDirectories).ToArray())
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else if (File.Exists(path)) File.Delete(path);
            else continue;
            swept++;
        }
        return swept;
    }

    /// <summary>Releases the folder and removes the lock's files; a folder the lock made and nothing else used is removed too.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(Path.Combine(_runDir, HolderFile));
            File.Delete(Path.Combine(_runDir, FileName));
        }
        catch (IOException)
        {
            // Another process may be taking the folder over right now: its lock, not ours.
        }
        _stream.Dispose();
        if (_created && Directory.Exists(_runDir) && !Directory.EnumerateFileSystemEntries(_runDir).Any()) Directory.Delete(_runDir);
    }
}
