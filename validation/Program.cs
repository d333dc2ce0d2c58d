using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Pipeline.Runtime;

namespace Pipeline.Validation;

/// <summary>
/// The validator the package's MSBuild task runs, one process per artifact so that ONNX Runtime's
/// native code never loads into MSBuild: writes the validation report as JSON to standard output;
/// exit 0 when it passes, 1 when an output misses its tolerance, 2 for a structural fault or bad
/// arguments (one line on standard error).
/// </summary>
public static class Program
{
    const string Usage = "usage: Pipeline.Validation ARTIFACT [--ep auto|cpu|cuda] [--atol X] [--rtol X] [--threads N] [--onnxruntime DIR]";

    public static int Main(string[] args)
    {
        try
        {
            var options = ValidatorOptions.Parse(args);
            if (options.OnnxRuntimeDirectory is { } native) LoadOnnxRuntimeFrom(native);
            var settings = new SessionSettings(options.Threads, Provider: ExecutionProviders.Parse(options.Ep));
            var report = ArtifactValidator.Validate(options.Artifact, settings, options.Atol, options.Rtol);
            report.WriteJson("-");
            return report.Passed ? 0 : 1;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException
                                       or NotSupportedException or System.Text.Json.JsonException or OnnxRuntimeException or DllNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ").Trim()}");
            return 2;
        }
    }

    /// <summary>ONNX Runtime's native library from a folder (NuGet's copy of the runtime package) instead of beside this program.</summary>
    static void LoadOnnxRuntimeFrom(string directory)
    {
        string library = Path.Combine(directory, "libonnxruntime.so");
        if (!File.Exists(library))
            throw new FileNotFoundException($"ONNX Runtime's native library is not at {library}; restore the project (dotnet restore) or set PipelineValidationOnnxRuntime to the folder holding it");
        OrtEnv.DisableDllImportResolver = true;
        NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, (name, _, _) =>
            name == "onnxruntime" ? NativeLibrary.Load(library) : IntPtr.Zero);
    }

    /// <summary>The validator's arguments.</summary>
    sealed record ValidatorOptions(string Artifact, string Ep, double? Atol, double? Rtol, int Threads, string? OnnxRuntimeDirectory)
    {
        public static ValidatorOptions Parse(string[] args)
        {
            string? artifact = null, ep = "auto", native = null;
            double? atol = null, rtol = null;
            int threads = 2;
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option '{args[i]}' needs a value; {Usage}");
                switch (args[i])
                {
                    case "--ep": ep = Value(); break;
                    case "--atol": atol = Number(args[i], Value()); break;
                    case "--rtol": rtol = Number(args[i], Value()); break;
                    case "--threads": threads = (int)Number(args[i], Value()); break;
                    case "--onnxruntime": native = Value(); break;
                    default:
                        if (args[i].StartsWith("--", StringComparison.Ordinal) || artifact is not null) throw new ArgumentException($"unexpected argument '{args[i]}'; {Usage}");
                        artifact = args[i];
                        break;
                }
            }
            if (artifact is null) throw new ArgumentException($"name the artifact folder; {Usage}");
            if (threads < 1) throw new ArgumentException($"--threads must be at least 1 (got {threads})");
            return new ValidatorOptions(artifact, ep, atol, rtol, threads, native);
        }

        static double Number(string option, string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x
                : throw new ArgumentException($"{option} takes a number (got '{text}')");
    }
}
