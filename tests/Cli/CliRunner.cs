namespace Pipeline.Tests.Cli;

/// <summary>Runs `pipeline` in-process and captures its exit code and standard error.</summary>
public static class CliRunner
{
    public static (int Code, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        var oldError = System.Console.Error;
        System.Console.SetError(error);
        try { return (Pipeline.Cli.Program.Main(args), error.ToString()); }
        finally { System.Console.SetError(oldError); }
    }
}
