using Classcloud.Web.Assignments.Similarity;

namespace Classcloud.Web.Assignments.Grading;

/// <summary>A run of characters on one line and its kind: kw (keyword), str, num, com (comment), or null for plain text.</summary>
public readonly record struct HighlightSpan(string? Kind, string Text);

/// <summary>
/// A small server-side syntax highlighter for the grading page: it uses the similarity tokenizer's keyword sets and
/// comment rules, so the page needs no script and the student's code is only ever text (HTML-encoded by Razor).
/// It colours; it never has to be right about a program, only never lose a character.
/// </summary>
public static class CodeHighlighter
{
    public static List<List<HighlightSpan>> Lines(string text, CodeFamily? family)
    {
        var spans = Spans(text.Replace("\r\n", "\n", StringComparison.Ordinal), family);
        var lines = new List<List<HighlightSpan>> { new() };
        foreach (var span in spans)
        {
            var parts = span.Text.Split('\n');
            for (var p = 0; p < parts.Length; p++)
            {
                if (p > 0)
                {
                    lines.Add([]);
                }
                if (parts[p].Length > 0)
                {
                    lines[^1].Add(new HighlightSpan(span.Kind, parts[p]));
                }
            }
        }
        return lines;
    }

    static List<HighlightSpan> Spans(string text, CodeFamily? family)
    {
        var keywords = family switch
        {
            CodeFamily.CLike => CodeKeywords.CLike,
            CodeFamily.Python => CodeKeywords.Python,
            CodeFamily.Shell => CodeKeywords.Shell,
            _ => null,
        };
        var (slashes, hashes) = (family is CodeFamily.CLike or CodeFamily.Generic, family is CodeFamily.Python or CodeFamily.Shell or CodeFamily.Generic);
        var spans = new List<HighlightSpan>();
        var i = 0;
        void Add(string? kind, int end)
        {
            spans.Add(new HighlightSpan(kind, text[i..end]));
            i = end;
        }
        while (i < text.Length)
        {
            var c = text[i];
            if (keywords is null && family is null)
            {
                Add(null, text.Length);
            }
            else if ((slashes && c == '/' && At(text, i + 1) == '/') || (hashes && c == '#' && (i == 0 || !char.IsLetterOrDigit(text[i - 1]))))
            {
                Add("com", End(text.IndexOf('\n', i), text.Length));
            }
            else if (slashes && c == '/' && At(text, i + 1) == '*')
            {
                var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                Add("com", close < 0 ? text.Length : close + 2);
            }
            else if (c is '"' or '\'' or '`')
            {
                Add("str", StringEnd(text, i, family == CodeFamily.Python));
            }
            else if (char.IsDigit(c))
            {
                var end = i;
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '.' or '_'))
                {
                    end++;
                }
                Add("num", end);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var end = i;
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
                {
                    end++;
                }
                Add(keywords?.Contains(text[i..end]) == true ? "kw" : null, end);
            }
            else
            {
                Add(null, i + 1);
            }
        }
        return spans;
    }

    static char At(string text, int i) => i < text.Length ? text[i] : '\0';

    static int End(int found, int fallback) => found < 0 ? fallback : found;

    /// <summary>Where a string starting at <paramref name="start"/> ends: its closing quote, or the line's end (triple quotes and backticks span lines).</summary>
    static int StringEnd(string text, int start, bool python)
    {
        var quote = text[start];
        var close = python && At(text, start + 1) == quote && At(text, start + 2) == quote ? new string(quote, 3) : quote.ToString();
        var i = start + close.Length;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, close, 0, close.Length) == 0)
            {
                return i + close.Length;
            }
            if (text[i] == '\n' && close.Length == 1 && quote != '`')
            {
                return i;
            }
            i += text[i] == '\\' ? 2 : 1;
        }
        return text.Length;
    }
}
