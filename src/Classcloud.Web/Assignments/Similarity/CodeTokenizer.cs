namespace Classcloud.Web.Assignments.Similarity;

/// <summary>One normalized token and the line (1-based) it starts on.</summary>
public readonly record struct CodeToken(string Text, int Line);

/// <summary>The tokenizer families: the similarity report reads code as one of these.</summary>
public enum CodeFamily
{
    Generic,
    CLike,
    Python,
    Shell,
}

/// <summary>
/// Turns source text into normalized tokens for the similarity report: whitespace and comments disappear,
/// keywords and operators stay as they are, and every identifier becomes <see cref="Identifier"/> and every
/// literal <see cref="Literal"/>, so renaming variables, reformatting or rewording comments changes nothing.
/// One small hand-written scanner per family is enough: it must only be robust, never reject code.
/// </summary>
public static class CodeTokenizer
{
    public const string Identifier = "I";
    public const string Literal = "L";

    /// <summary>The family of an assignment language (the report's fallback for files without a known extension).</summary>
    public static CodeFamily FamilyOfLanguage(string language) => language switch
    {
        "c" or "cpp" or "java" or "csharp" or "node" => CodeFamily.CLike,
        "python" => CodeFamily.Python,
        "shell" => CodeFamily.Shell,
        _ => CodeFamily.Generic,
    };

    /// <summary>The family of a file by its extension, or null for files that are not code (text, data, Markdown).</summary>
    public static CodeFamily? FamilyOfPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".c" or ".h" or ".cc" or ".cpp" or ".cxx" or ".hpp" or ".java" or ".cs" or ".js" or ".mjs" or ".cjs" or ".ts" => CodeFamily.CLike,
        ".py" => CodeFamily.Python,
        ".sh" or ".bash" => CodeFamily.Shell,
        _ => null,
    };

    public static List<CodeToken> Tokenize(string text, CodeFamily family) => family switch
    {
        CodeFamily.CLike => new Scanner(text, CodeKeywords.CLike, lineComment: "//", blockComments: true, hashComments: false).Run(),
        CodeFamily.Python => new Scanner(text, CodeKeywords.Python, lineComment: null, blockComments: false, hashComments: true).Run(),
        CodeFamily.Shell => ShellScanner.Run(text),
        _ => new Scanner(text, new HashSet<string>(StringComparer.Ordinal), lineComment: "//", blockComments: true, hashComments: true).Run(),
    };

    /// <summary>A scanner for C-like, Python and generic code: the families differ only in comments and keywords.</summary>
    sealed class Scanner(string text, IReadOnlySet<string> keywords, string? lineComment, bool blockComments, bool hashComments)
    {
        readonly List<CodeToken> tokens = [];
        int i;
        int line = 1;

        public List<CodeToken> Run()
        {
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '\n')
                {
                    line++;
                    i++;
                }
                else if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if ((lineComment is not null && Starts(lineComment)) || (hashComments && c == '#'))
                {
                    SkipTo('\n');
                }
                else if (blockComments && Starts("/*"))
                {
                    SkipPast("*/");
                }
                else if (c is '"' or '\'' or '`')
                {
                    String();
                }
                else if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
                {
                    Number();
                }
                else if (char.IsLetter(c) || c is '_' or '$')
                {
                    Word();
                }
                else
                {
                    tokens.Add(new CodeToken(CodeKeywords.Operator(text, i), line));
                    i += tokens[^1].Text.Length;
                }
            }
            return tokens;
        }

        bool Starts(string s) => string.CompareOrdinal(text, i, s, 0, s.Length) == 0;

        void SkipTo(char end)
        {
            while (i < text.Length && text[i] != end)
            {
                i++;
            }
        }

        void SkipPast(string end)
        {
            i += 2;
            while (i < text.Length && !Starts(end))
            {
                line += text[i] == '\n' ? 1 : 0;
                i++;
            }
            i = Math.Min(text.Length, i + end.Length);
        }

        void String()
        {
            var start = line;
            var quote = text[i];
            // Python's triple quotes (docstrings) run over lines; they are one literal like any other string.
            var close = hashComments && i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote ? new string(quote, 3) : quote.ToString();
            i += close.Length;
            while (i < text.Length && !Starts(close))
            {
                if (text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == '\n' && close.Length == 1 && quote != '`')
                {
                    // An unclosed one-line string ends at the line's end, so one typo does not swallow the file.
                    break;
                }
                if (i < text.Length)
                {
                    line += text[i] == '\n' ? 1 : 0;
                    i++;
                }
            }
            if (i < text.Length && text[i] != '\n')
            {
                i += close.Length;
            }
            tokens.Add(new CodeToken(Literal, start));
        }

        void Number()
        {
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '.' or '_'))
            {
                i++;
            }
            tokens.Add(new CodeToken(Literal, line));
        }

        void Word()
        {
            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '$'))
            {
                i++;
            }
            // Python's string prefixes (r"", b'', f"", rb"") belong to the literal.
            if (hashComments && i < text.Length && text[i] is '"' or '\'' && i - start <= 2 && text[start..i].All(ch => "rRbBfFuU".Contains(ch)))
            {
                String();
                return;
            }
            var word = text[start..i];
            tokens.Add(new CodeToken(keywords.Contains(word) ? word : Identifier, line));
        }
    }
}
