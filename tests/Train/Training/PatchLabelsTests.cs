using Pipeline.Data;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Train.Training;

[TestFixture]
public class PatchLabelsTests
{
    static readonly VisionConfig Vision = new(ImageSize: 32, PatchSize: 8, Width: 32, Depth: 2, Heads: 2);
    static readonly int Background = PatchLabels.ShapeClasses - 1;

    static Scene SceneOf(params SceneObject[] objects) => new("x.png", objects.Length, objects);

    [Test]
    public void ASquareLabelsThePatchesItCoversAndNothingElse()
    {
        // Square of side 16 centred at (15.5, 15.5): drawn over pixels 8..22 on both axes, so it
        // fills patch (1, 1) and most of (1, 2), (2, 1), (2, 2).
        var (shapes, colors) = PatchLabels.Of(SceneOf(new SceneObject("red", "square", 15, 15, 16)), Vision);
        int square = Array.IndexOf(Vocabulary.Shapes, "square"), red = Array.IndexOf(Vocabulary.Colors, "red");
        int[] covered = [1 * 4 + 1, 1 * 4 + 2, 2 * 4 + 1, 2 * 4 + 2];
        for (int p = 0; p < 16; p++)
        {
            Assert.That(shapes[p], Is.EqualTo(covered.Contains(p) ? square : Background), $"shape of patch {p}");
            Assert.That(colors[p], Is.EqualTo(covered.Contains(p) ? red : PatchLabels.ColorClasses - 1), $"colour of patch {p}");
        }
    }

    [Test]
    public void APatchGoesToTheObjectCoveringMostOfIt()
    {
        // A square over pixels 2..8 (one column, x = 8, in patch (0, 1)) and a circle over 9..15:
        // patch (0, 1) holds pixels of both and goes to the circle, which covers most of it.
        var square = new SceneObject("blue", "square", 5, 3, 8);
        var circle = new SceneObject("green", "circle", 12, 3, 8);
        var (shapes, _) = PatchLabels.Of(SceneOf(square, circle), Vision);
        Assert.That(shapes[0], Is.EqualTo(Array.IndexOf(Vocabulary.Shapes, "square")));
        Assert.That(shapes[1], Is.EqualTo(Array.IndexOf(Vocabulary.Shapes, "circle")));
        Assert.That(shapes[2], Is.EqualTo(Background));
    }

    [Test]
    public void ASlightOverlapStaysBackground()
    {
        // A diamond 2 pixels wide: 4 pixel centres inside it, below the minimum cover of 8 of 64.
        var (shapes, _) = PatchLabels.Of(SceneOf(new SceneObject("red", "diamond", 3, 3, 2)), Vision);
        Assert.That(shapes, Is.All.EqualTo(Background));
    }

    [Test]
    public void LabelsMoveWithTheObjectAndDoNotDependOnWhereItIs()
    {
        var here = PatchLabels.Of(SceneOf(new SceneObject("red", "star", 11, 11, 12)), Vision).Shapes;
        var there = PatchLabels.Of(SceneOf(new SceneObject("red", "star", 19, 19, 12)), Vision).Shapes;
        for (int row = 0; row < 3; row++)
            for (int col = 0; col < 3; col++)
                Assert.That(there[(row + 1) * 4 + col + 1], Is.EqualTo(here[row * 4 + col]), $"patch ({row}, {col}) moved by one patch");
    }
}
