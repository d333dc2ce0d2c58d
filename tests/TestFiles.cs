/// <summary>File chores the tests share: copying a folder to tamper with, flipping a byte.</summary>
public static class TestFiles
{
    /// <summary>Copies every file under <paramref name="from"/> to the same relative path under <paramref name="to"/>.</summary>
    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>XORs the byte in the middle of <paramref name="path"/> with <paramref name="mask"/>.</summary>
    public static void FlipByte(string path, byte mask = 0xFF)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= mask;
        File.WriteAllBytes(path, bytes);
    }
}
