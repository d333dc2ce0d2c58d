// MSBuild inline task (RoslynCodeTaskFactory): marks ELF version requirements weak when the
// system libstdc++ lacks them. See TorchSharpLoadFix.targets for why.
using System;
using System.IO;
using System.Linq;
using System.Text;

public class WeakenElfVersionNeeds : Microsoft.Build.Utilities.Task
{
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();
    public string Versions { get; set; } = "";

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
    };

    public override bool Execute()
    {
        var wanted = Versions.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).Select(v => v.Trim()).ToArray();
        var missing = wanted.Where(v => !SystemLibStdCxxHas(v)).ToArray();
        if (missing.Length == 0)
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "System libstdc++ provides " + Versions + "; nothing to patch.");
            return true;
        }
        foreach (var item in Files)
        {
            try { Patch(item.ItemSpec, missing); }
            catch (Exception e) { Log.LogError("Cannot patch " + item.ItemSpec + ": " + e.Message); }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemLibStdCxxHas(string version)
    {
        var path = LibStdCxxCandidates.FirstOrDefault(File.Exists);
        if (path == null) return true; // not a glibc Linux we know: leave the file alone
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        var bytes = File.ReadAllBytes(path);
        for (int i = 0; i + needle.Length <= bytes.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && bytes[i + j] == needle[j]) j++;
            if (j == needle.Length && (i == 0 || bytes[i - 1] == 0)) return true;
        }
        return false;
    }

    void Patch(string path, string[] versions)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = BitConverter.ToInt64(elf, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 40), count = (int)BitConverter.ToUInt32(elf, (int)sh + 44);
            long strtab = BitConverter.ToInt64(elf, (int)(shoff + (long)link * shentsize) + 24);
            long need = offset;
            for (int n = 0; n < count; n++)
            {
                int cnt = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < cnt; a++)
                {
                    string name = ReadCString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                    ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if (versions.Contains(name) && (flags & VerFlgWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, (int)aux + 4);
                        changed++;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        if (changed == 0) return; // already patched, or no such requirement
        // Write beside and rename: never leave a half-written library, and break any hard link
        // into the NuGet cache.
        var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(tmp, elf);
        File.Replace(tmp, path, null);
        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
            "Marked " + changed + " version requirement(s) weak in " + path + " (" + string.Join(", ", versions) + ").");
    }

    static string ReadCString(byte[] bytes, long at)
    {
        int end = (int)at;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)at, end - (int)at);
    }
}
