namespace Classcloud.Web.Assignments.Similarity;

/// <summary>
/// Shell scripts: commands and keywords are the structure and stay as they are; variables (<c>$x</c>,
/// <c>${x}</c>, <c>x=</c>), numbers and quoted strings are normalized; <c>#</c> starts a comment at the start of a word.
/// </summary>
static class ShellScanner
{
    public static List<CodeToken> Run(string text)
    {
        var tokens = new List<CodeToken>();
        var (i, line) = (0, 1);
        // After read, local, export, declare and for, bare words are variable names until the command ends.
        var naming = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                naming = false;
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c is '"' or '\'')
            {
                var start = line;
                i++;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\\' && c == '"' && i + 1 < text.Length)
                    {
                        i++;
                    }
                    line += text[i] == '\n' ? 1 : 0;
                    i++;
                }
                i = Math.Min(text.Length, i + 1);
                tokens.Add(new CodeToken(CodeTokenizer.Literal, start));
            }
            else if (c == '$' && i + 1 < text.Length && (char.IsLetter(text[i + 1]) || text[i + 1] is '_' or '{'))
            {
                i++;
                var braced = text[i] == '{';
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '{' || (braced && text[i] != '}' && text[i] != '\n')))
                {
                    i++;
                }
                i += braced && i < text.Length && text[i] == '}' ? 1 : 0;
                tokens.Add(new CodeToken(CodeTokenizer.Identifier, line));
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '/')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' or '.' or '/'))
                {
                    i++;
                }
                var word = text[start..i];
                var keyword = CodeKeywords.Shell.Contains(word);
                var name = (naming && !keyword && !word.StartsWith('-')) || (i < text.Length && text[i] == '=' && (char.IsLetter(word[0]) || word[0] == '_'));
                naming = word is "read" or "local" or "export" or "declare" or "for" || (naming && !keyword);
                tokens.Add(new CodeToken(
                    name ? CodeTokenizer.Identifier
                    : word.All(ch => char.IsDigit(ch) || ch == '.') ? CodeTokenizer.Literal
                    : keyword ? word : "w:" + word, line));
            }
            else
            {
                naming = false;
                tokens.Add(new CodeToken(CodeKeywords.Operator(text, i), line));
                i += tokens[^1].Text.Length;
            }
        }
        return tokens;
    }
}
