using System.Globalization;
using System.Text.RegularExpressions;

namespace Classcloud.Web.Assignments;

/// <summary>
/// Compares a program's output with the expected one. exact: byte for byte (line endings normalised);
/// trimmed: each line's trailing white space and the trailing empty lines ignored; whitespace: all runs of
/// white space count as one separator; regex: the whole output matches; numeric: the same count of numbers,
/// each within a relative or absolute 1e-6 (the usual judge tolerance).
/// </summary>
public static class OutputComparer
{
    static readonly TimeSpan RegexBudget = TimeSpan.FromSeconds(1);
    const double Tolerance = 1e-6;

    public static bool Matches(string mode, string expected, string actual)
    {
        expected = expected.ReplaceLineEndings("\n");
        actual = actual.ReplaceLineEndings("\n");
        return mode switch
        {
            CompareModes.Exact => expected == actual,
            CompareModes.Whitespace => Words(expected).SequenceEqual(Words(actual), StringComparer.Ordinal),
            CompareModes.Regex => RegexMatches(expected, actual),
            CompareModes.Numeric => NumbersMatch(expected, actual),
            _ => Trim(expected) == Trim(actual),
        };
    }

    public static bool IsValidRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, RegexBudget);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static bool IsNumericSpec(string expected) => Words(expected).All(w => Number(w) is not null);

    static string Trim(string text) => string.Join('\n', text.Split('\n').Select(l => l.TrimEnd())).TrimEnd('\n');

    static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    static bool RegexMatches(string pattern, string actual)
    {
        try
        {
            // A catastrophic pattern fails the test instead of holding the grader.
            return Regex.IsMatch(actual.TrimEnd('\n'), $"^(?:{pattern})$", RegexOptions.None, RegexBudget);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    static bool NumbersMatch(string expected, string actual)
    {
        var e = Words(expected).Select(Number).ToList();
        var a = Words(actual).Select(Number).ToList();
        return e.Count == a.Count && e.Zip(a).All(p => p.First is { } x && p.Second is { } y
            && Math.Abs(x - y) <= Math.Max(Tolerance, Tolerance * Math.Abs(x)));
    }

    static double? Number(string word) =>
        double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
}
