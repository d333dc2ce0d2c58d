using CommandLine;
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
            s.HelpWriter = System.Console.Error;
            s.CaseInsensitiveEnumValues = true;
        });
        var parsed = parser.ParseArguments<RunOptions, StageOptions, DataOptions, PretrainOptions, TrainOptionsCli, ExportOptionsCli, ValidateOptions, InspectOptions, EvalOptionsCli, CompareOptionsCli, ReportOptions, BenchOptions>(args);
        try
        {
            if (parsed.Value is RunOptions or StageOptions or PretrainOptions or TrainOptionsCli or ExportOptionsCli or CompareOptionsCli or BenchOptions)
                Pipeline.Train.Training.TorchNative.EnsureLoadable();
            return parsed.MapResult(
                (RunOptions o) => RunVerb.Run(o, terminal),
                (StageOptions o) => StageVerb.Run(o, terminal),
                (DataOptions o) => DataVerb.Run(o, terminal),
                (PretrainOptions o) => PretrainVerb.Run(o, terminal, args),
                (TrainOptionsCli o) => TrainVerb.Run(o, terminal),
                (ExportOptionsCli o) => ExportVerb.Run(o, terminal),
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
            terminal.Error(e.Message);
            return 2;
        }
    }

    /// <summary>Bad input, missing or corrupt files: one line, no stack trace.</summary>
    static bool IsUserError(Exception e) =>
        e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException
            or Pipeline.Train.Training.TrainingDivergedException;
}
