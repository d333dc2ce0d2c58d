using Spectre.Console;

namespace Pipeline.Cli.Console;

/// <summary>
/// Output for long work: a live Spectre progress bar on a terminal, plain lines when output is
/// redirected (MSBuild Exec, CI logs), where a redrawn bar would be garbage.
/// </summary>
public sealed class Terminal
{
    public Terminal()
    {
        // Redirected (logs, CI, MSBuild), Spectre assumes 80 columns and wraps wide tables into unreadable cells.
        if (!Interactive) AnsiConsole.Profile.Width = 200;
    }

    public bool Interactive { get; } = !System.Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>A line of output; plain when redirected, where Spectre would wrap it at 80 columns.</summary>
    public void Info(string line)
    {
        if (Interactive) AnsiConsole.MarkupLine(Markup.Escape(line));
        else System.Console.Out.WriteLine(line);
    }

    /// <summary>One plain line on standard error: easy to read, grep and test.</summary>
    public void Error(string line) => System.Console.Error.WriteLine($"error: {line}");

    /// <summary>Runs <paramref name="work"/> with a progress reporter counting up to <paramref name="total"/>.</summary>
    public T Progress<T>(string label, int total, Func<IProgress<int>, T> work)
    {
        if (!Interactive)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var plain = new PlainProgress(label, total, clock);
            return work(plain);
        }
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: total);
                result = work(new Progress<int>(n => task.Value = n));
                task.Value = total;
            });
        return result;
    }

    /// <summary>Progress messages as lines, written as they come (no thread-pool reordering, unlike Progress&lt;T&gt;).</summary>
    public IProgress<string> Lines => new LineProgress(this);

    sealed class LineProgress(Terminal terminal) : IProgress<string>
    {
        public void Report(string value) => terminal.Info(value);
    }

    /// <summary>Prints at most every ~10% and at the end, synchronously (no thread-pool reordering).</summary>
    sealed class PlainProgress(string label, int total, System.Diagnostics.Stopwatch clock) : IProgress<int>
    {
        int _lastTenth = -1;
        readonly Lock _gate = new();

        public void Report(int value)
        {
            int tenth = total == 0 ? 10 : value * 10 / total;
            lock (_gate)
            {
                if (tenth <= _lastTenth) return;
                _lastTenth = tenth;
            }
            System.Console.WriteLine($"{label}: {value}/{total} ({clock.Elapsed.TotalSeconds:F1} s)");
        }
    }
}
