namespace Pipeline.Eval.Plots;

/// <summary>One panel of <see cref="LineChart.SavePanels"/>: its title, its own axes and its lines.</summary>
public sealed record LinePanel(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series, bool LogY = false);
