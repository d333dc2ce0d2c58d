using Pipeline.Runtime;

namespace Pipeline.Eval.Study;

/// <summary>Row selection on the leading axis of a host tensor: which image each question's batch row shows.</summary>
public static class HostRows
{
    public static HostTensor Gather(HostTensor t, IReadOnlyList<int> rows)
    {
        long rowSize = t.Count / t.Shape[0];
        long[] shape = [rows.Count, .. t.Shape[1..]];
        if (t.Type == ElementType.Float32)
        {
            var data = new float[rows.Count * rowSize];
            for (int i = 0; i < rows.Count; i++) Array.Copy(t.Floats, rows[i] * rowSize, data, i * rowSize, rowSize);
            return HostTensor.Float(shape, data);
        }
        var longs = new long[rows.Count * rowSize];
        for (int i = 0; i < rows.Count; i++) Array.Copy(t.Longs, rows[i] * rowSize, longs, i * rowSize, rowSize);
        return HostTensor.Int64(shape, longs);
    }

    /// <summary>Concatenates float tensors along their leading axis.</summary>
    public static HostTensor Concat(IReadOnlyList<HostTensor> parts)
    {
        long[] shape = [parts.Sum(p => p.Shape[0]), .. parts[0].Shape[1..]];
        return HostTensor.Float(shape, parts.SelectMany(p => p.Floats).ToArray());
    }
}
