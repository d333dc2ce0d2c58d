using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Runtime;

/// <summary>What validating an artifact found: the provider the test vectors ran on and every output compared.</summary>
/// <param name="FormatVersion">The manifest's format version.</param>
/// <param name="ExecutionProvider">The provider actually used (ONNX Runtime's name).</param>
/// <param name="FallbackReason">Why Auto ran on the CPU; null when it got what it asked for.</param>
/// <param name="Atol">The absolute tolerance applied (the manifest's unless overridden).</param>
/// <param name="Passed">Every output of every test set within tolerance.</param>
public sealed record ValidationReport(
    string Directory, string Variant, int FormatVersion, string ExecutionProvider, double Atol, double Rtol,
    IReadOnlyList<OutputCheck> Outputs, bool Passed)
{
    public string? FallbackReason { get; init; }

    static readonly JsonSerializerOptions WriteOptions = new(Json.Indented)
    {
        // An output of the wrong shape has no differences to report: NaN, which plain JSON cannot spell.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, WriteOptions) + "\n";

    /// <summary>Writes the report whole or not at all (temporary file, then rename); "-" writes it to standard output.</summary>
    public void WriteJson(string path)
    {
        if (path == "-")
        {
            Console.Out.Write(ToJson());
            return;
        }
        path = Path.GetFullPath(path);
        if (System.IO.Directory.Exists(path)) throw new IOException($"--json {path} is a folder; name a file");
        AtomicFile.WriteAllText(path, ToJson());
    }
}

/// <summary>
/// Re-checks an artifact as a consumer would receive it: the manifest's format, every file's size
/// and SHA-256, each graph loading and matching its signature, then the test vectors on the chosen
/// execution provider. Structural faults are InvalidDataException (one line); numeric results,
/// pass or fail, are the report.
/// </summary>
public static class ArtifactValidator
{
    public static ValidationReport Validate(string dir, SessionSettings settings, double? atol = null, double? rtol = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (atol is < 0 || atol is double.NaN) throw new ArgumentException($"--atol must be a non-negative number (got {atol})");
        if (rtol is < 0 || rtol is double.NaN) throw new ArgumentException($"--rtol must be a non-negative number (got {rtol})");
        dir = Path.GetFullPath(dir);
        var manifest = ArtifactFiles.ReadManifest(dir);
        ArtifactFiles.VerifyFiles(dir, manifest);
        PromptTokenizer.Load(dir, manifest);  // the vocabulary: every id the prompt names, as large as the logits
        if (manifest.TestData.Sets.Count == 0) throw new InvalidDataException($"the manifest in {dir} lists no test vectors; re-export the artifact");
        var tolerance = new Tolerance(atol ?? manifest.TestData.Atol, rtol ?? manifest.TestData.Rtol);
        using var sessions = ArtifactSessions.Open(dir, manifest, settings);
        var outputs = TestVectors.Check(dir, manifest, sessions, tolerance);
        return new ValidationReport(dir, manifest.Variant, manifest.FormatVersion, sessions.ExecutionProvider, tolerance.Atol, tolerance.Rtol, outputs, outputs.All(o => o.Passed))
        {
            FallbackReason = sessions.FallbackReason,
        };
    }
}
