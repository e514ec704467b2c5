namespace Classcloud.Web.Assignments.Grading;

/// <summary>One line of a diff: ' ' in both, '-' expected only, '+' actual only.</summary>
public readonly record struct DiffLine(char Kind, string Text);

/// <summary>
/// Expected against actual output, line by line (longest common subsequence). Outputs are capped at 64 KiB, but a
/// quadratic table over thousands of lines is still too much for a page: past <see cref="MaxLines"/> lines a side,
/// the rest is shown as removed and added.
/// </summary>
public static class TextDiff
{
    public const int MaxLines = 2000;

    public static List<DiffLine> Lines(string expected, string actual)
    {
        var a = Split(expected);
        var b = Split(actual);
        var (n, m) = (Math.Min(a.Length, MaxLines), Math.Min(b.Length, MaxLines));
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var diff = new List<DiffLine>();
        var (x, y) = (0, 0);
        while (x < n && y < m)
        {
            if (a[x] == b[y])
            {
                diff.Add(new DiffLine(' ', a[x++]));
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                diff.Add(new DiffLine('-', a[x++]));
            }
            else
            {
                diff.Add(new DiffLine('+', b[y++]));
            }
        }
        diff.AddRange(a.Skip(x).Select(l => new DiffLine('-', l)));
        diff.AddRange(b.Skip(y).Select(l => new DiffLine('+', l)));
        return diff;
    }

    static string[] Split(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
