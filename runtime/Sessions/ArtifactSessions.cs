namespace Pipeline.Runtime;

/// <summary>
/// A session on every graph an artifact's manifest lists, each checked against its signature.
/// All run on one provider: when Auto falls back for the first graph the rest open on the CPU
/// directly (trying CUDA again would only repeat the failure).
/// </summary>
public sealed class ArtifactSessions : IDisposable
{
    readonly Dictionary<string, OrtGraphSession> _sessions;

    ArtifactSessions(Dictionary<string, OrtGraphSession> sessions, string executionProvider, string? fallbackReason)
    {
        _sessions = sessions;
        ExecutionProvider = executionProvider;
        FallbackReason = fallbackReason;
    }

    /// <summary>The provider every session runs on (ONNX Runtime's name).</summary>
    public string ExecutionProvider { get; }

    /// <summary>Why Auto runs on the CPU; null when the sessions got the provider asked for.</summary>
    public string? FallbackReason { get; }

    public IReadOnlyCollection<string> Graphs => _sessions.Keys;

    /// <summary>The session on graph <paramref name="graph"/> (a manifest graph name).</summary>
    public OrtGraphSession this[string graph] =>
        _sessions.TryGetValue(graph, out var session) ? session : throw new InvalidDataException($"the manifest lists no graph '{graph}' (it has {string.Join(", ", _sessions.Keys)})");

    /// <summary>Opens every graph of <paramref name="manifest"/> under <paramref name="dir"/>; the files are not re-hashed here.</summary>
    public static ArtifactSessions Open(string dir, ArtifactManifest manifest, SessionSettings? settings = null)
    {
        settings ??= SessionSettings.Default;
        var sessions = new Dictionary<string, OrtGraphSession>();
        try
        {
            foreach (var signature in manifest.Graphs)
            {
                var session = OrtGraphSession.Open(Path.Combine(dir, signature.File), settings);
                sessions.Add(signature.Name, session);
                session.CheckSignature(signature);
                if (session.FallbackReason is not null) settings = settings with { Provider = ExecutionProviderKind.Cpu };
            }
            var first = sessions.Values.FirstOrDefault() ?? throw new InvalidDataException($"the manifest in {dir} lists no graphs; re-export the artifact");
            return new ArtifactSessions(sessions, first.ExecutionProvider, first.FallbackReason);
        }
        catch
        {
            foreach (var session in sessions.Values) session.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values) session.Dispose();
    }
}
