namespace Pipeline.Core;

/// <summary>
/// A file written here appears whole or not at all: it is written to a temporary file in the
/// same folder (same file system, so the move is a rename) and moved over the target. A reader
/// (a browser refreshing report.html, CI picking up metrics.json) never sees half a file.
/// </summary>
public static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a temporary path next to <paramref name="path"/>, then moves it into place.</summary>
    /// <param name="extension">Extension of the temporary file, for writers that choose a format by it (".png").</param>
    public static void Write(string path, Action<string> write, string extension = ".tmp")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}{extension}");
        try
        {
            write(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
                File.Delete(tmp);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, tmp => File.WriteAllText(tmp, text, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)));

    public static void WriteAllLines(string path, IEnumerable<string> lines) =>
        Write(path, tmp => File.WriteAllLines(tmp, lines, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, tmp => File.WriteAllBytes(tmp, bytes));
}
