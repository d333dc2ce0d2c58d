namespace Pipeline.Core;

/// <summary>
/// Builds a folder beside its destination and moves it into place only when complete, so a
/// failed or interrupted run never leaves a half-written output.
/// </summary>
public static class AtomicDirectory
{
    /// <summary>Fails with a one-line fix when <paramref name="dir"/> is in the way.</summary>
    public static void EnsureWritable(string dir, bool force)
    {
        if (File.Exists(dir)) throw new IOException($"{dir} is a file; choose another --out");
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any() && !force)
            throw new IOException($"{dir} exists and is not empty; pass --force to replace it or choose another --out");
    }

    /// <summary>Runs <paramref name="build"/> on a temporary sibling folder, then renames it to <paramref name="dir"/>.</summary>
    public static void Write(string dir, bool force, Action<string> build)
    {
        dir = Path.GetFullPath(dir);
        EnsureWritable(dir, force);
        string parent = Path.GetDirectoryName(dir) ?? throw new IOException($"{dir} has no parent folder");
        Directory.CreateDirectory(parent);
        string tmp = Path.Combine(parent, $".{Path.GetFileName(dir)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        try
        {
            build(tmp);
            Replace(tmp, dir);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    static void Replace(string tmp, string dir)
    {
        if (!Directory.Exists(dir))
        {
            Directory.Move(tmp, dir);
            return;
        }
        string old = $"{dir}.old-{Guid.NewGuid():N}";
        Directory.Move(dir, old);
        Directory.Move(tmp, dir);
        TryDelete(old);
    }

    static void TryDelete(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { /* best effort: a leftover temp folder is harmless */ }
    }
}
