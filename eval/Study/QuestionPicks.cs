using Pipeline.Data;

namespace Pipeline.Eval.Study;

/// <summary>Which questions get attention maps: the same for every variant, so Fig. 7 compares like with like.</summary>
public static class QuestionPicks
{
    static readonly (string Category, int Objects)[] Picks =
        [(Categories.ColorAbs, 3), (Categories.ShapeAbs, 4), (Categories.ColorRel, 4), (Categories.ShapeColorRel, 5)];

    /// <summary>The first question of each picked category among images with the picked object count (any count where none has it).</summary>
    public static IReadOnlyList<string> ForMaps(IReadOnlyList<Question> questions) =>
        Picks.Select(p => questions.FirstOrDefault(q => q.Category == p.Category && q.NumObjects == p.Objects)
                          ?? questions.FirstOrDefault(q => q.Category == p.Category))
            .OfType<Question>().Select(q => q.Id).Distinct().ToArray();
}
