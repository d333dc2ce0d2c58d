using CommandLine;
using CommandLine.Text;
using Pipeline.Cli.Console;
using Pipeline.Cli.Verbs;

namespace Pipeline.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var terminal = new Terminal();
        var parser = new Parser(s =>
        {
            s.HelpWriter = null;  // help, version and parse errors are written by Usage
            s.MaximumDisplayWidth = 80;
            s.CaseInsensitiveEnumValues = true;
        });
        var parsed = parser.ParseArguments<RunOptions, StageOptions, DataOptions, PretrainOptions, TrainOptionsCli, ExportOptionsCli, ImportOptionsCli, ValidateOptions, InspectOptions, EvalOptionsCli, CompareOptionsCli, ReportOptions, BenchOptions>(args);
        if (parsed is NotParsed<object> notParsed) return Usage(notParsed, args, terminal);
        if (ShapeProblem(parsed.Value.GetType(), args) is string problem)
        {
            terminal.Error($"{problem}; see 'pipeline {args[0]} --help'");
            return 2;
        }
        try
        {
            if (parsed.Value is RunOptions or StageOptions or PretrainOptions or TrainOptionsCli or ExportOptionsCli or ImportOptionsCli or CompareOptionsCli or BenchOptions)
                Pipeline.Train.Training.TorchNative.EnsureLoadable();
            return parsed.MapResult(
                (RunOptions o) => RunVerb.Run(o, terminal),
                (StageOptions o) => StageVerb.Run(o, terminal),
                (DataOptions o) => DataVerb.Run(o, terminal),
                (PretrainOptions o) => PretrainVerb.Run(o, terminal, args),
                (TrainOptionsCli o) => TrainVerb.Run(o, terminal),
                (ExportOptionsCli o) => ExportVerb.Run(o, terminal),
                (ImportOptionsCli o) => ImportVerb.Run(o, terminal),
                (ValidateOptions o) => ValidateVerb.Run(o, terminal),
                (InspectOptions o) => InspectVerb.Run(o, terminal),
                (EvalOptionsCli o) => EvalVerb.Run(o, terminal),
                (CompareOptionsCli o) => CompareVerb.Run(o, terminal),
                (ReportOptions o) => ReportVerb.Run(o, terminal),
                (BenchOptions o) => BenchVerb.Run(o, terminal),
                _ => 2);
        }
        catch (Exception e) when (IsUserError(e))
        {
            terminal.Error(OneLine(e.Message));
            return 2;
        }
        catch (Exception e)
        {
            // Not the user's input: a bug or an environment fault. One line on the terminal, the trace in a file.
            terminal.Error($"unexpected {e.GetType().Name}: {OneLine(e.Message)}; the full trace is in {WriteTrace(e)}");
            return 3;
        }
    }

    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>Writes the exception with its stack trace to a temporary file and returns its path.</summary>
    static string WriteTrace(Exception e)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pipeline-error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.txt");
        try
        {
            File.WriteAllText(path, e.ToString());
            return path;
        }
        catch (IOException)
        {
            return "(it could not be written)";
        }
    }

    /// <summary>
    /// --help and --version go to standard output with exit 0; a parse error is one line naming the
    /// problem and where the verb's help is, exit 2.
    /// </summary>
    /// <summary>
    /// What the parser lets through silently: a valued option given last or followed by another
    /// option (it would fall back to its default: `run --preset` ran the default preset), or a value
    /// that no option takes and no positional slot is left for (it would be dropped). Null when neither.
    /// </summary>
    static string? ShapeProblem(Type options, string[] args)
    {
        var properties = options.GetProperties();
        var switches = properties.Where(p => p.PropertyType == typeof(bool))
            .Select(p => p.GetCustomAttributes(typeof(OptionAttribute), true).OfType<OptionAttribute>().FirstOrDefault()?.LongName)
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        int positional = properties.Count(p => p.GetCustomAttributes(typeof(ValueAttribute), true).Length > 0);
        for (int i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (positional-- <= 0) return $"unexpected argument '{args[i]}'";
                continue;
            }
            if (args[i].Contains('=') || switches.Contains(args[i][2..])) continue;
            if (i + 1 == args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal)) return $"option '{args[i]}' needs a value";
            i++;  // the option's value
        }
        return null;
    }

    static int Usage(NotParsed<object> result, string[] args, Terminal terminal)
    {
        var errors = result.Errors.ToArray();
        if (errors.Any(e => e is VersionRequestedError))
        {
            System.Console.Out.WriteLine(Heading);
            return 0;
        }
        bool help = errors.Any(e => e is HelpRequestedError or HelpVerbRequestedError);
        if (help || errors.All(e => e is NoVerbSelectedError))
        {
            bool verbIndex = result.TypeInfo.Current == typeof(NullInstance);
            var text = HelpText.AutoBuild(result, h =>
            {
                h.AdditionalNewLineAfterOption = false;
                h.Heading = Heading;
                h.Copyright = string.Empty;
                h.MaximumDisplayWidth = 80;
                return h;
            }, e => e, verbsIndex: verbIndex);
            (help ? System.Console.Out : System.Console.Error).WriteLine(text);
            return help ? 0 : 2;
        }
        string verb = result.TypeInfo.Current == typeof(NullInstance) || args.Length == 0 ? "" : args[0] + " ";
        string message = SentenceBuilder.Create().FormatError(errors.First(e => e is not NoVerbSelectedError)).TrimEnd('.');
        terminal.Error($"{message}; see 'pipeline {verb}--help'");
        return 2;
    }

    /// <summary>"pipeline VERSION", from this program's assembly whoever hosts it.</summary>
    static string Heading =>
        "pipeline " + (typeof(Program).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown");

    /// <summary>Bad input, missing or corrupt files: one line, no stack trace.</summary>
    static bool IsUserError(Exception e) =>
        e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException
            or System.Text.Json.JsonException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException
            or Pipeline.Train.Training.TrainingDivergedException;
}
