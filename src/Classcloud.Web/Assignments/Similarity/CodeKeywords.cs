namespace Classcloud.Web.Assignments.Similarity;

/// <summary>
/// The words the tokenizer keeps as they are (the language's structure) and its operators. Everything else that
/// looks like a name is an identifier, so a student who renames <c>total</c> to <c>s</c> changes nothing.
/// </summary>
static class CodeKeywords
{
    /// <summary>C, C++, Java, C# and JavaScript together: one set is enough, a word that is a keyword in a sibling language only keeps its name.</summary>
    public static readonly IReadOnlySet<string> CLike = new HashSet<string>(StringComparer.Ordinal)
    {
        "auto", "break", "case", "catch", "char", "class", "const", "continue", "default", "delete", "do", "double", "else", "enum",
        "extern", "false", "final", "finally", "float", "for", "foreach", "function", "goto", "if", "import", "in", "include", "int",
        "interface", "let", "long", "namespace", "new", "null", "nullptr", "private", "protected", "public", "return", "short",
        "signed", "sizeof", "static", "struct", "switch", "template", "this", "throw", "true", "try", "typedef", "typeof", "union",
        "unsigned", "using", "var", "void", "volatile", "while", "async", "await", "yield", "bool", "boolean", "string", "byte",
        "extends", "implements", "package", "override", "virtual", "readonly", "out", "ref", "is", "as", "instanceof", "undefined",
    };

    public static readonly IReadOnlySet<string> Python = new HashSet<string>(StringComparer.Ordinal)
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
        "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
        "return", "try", "while", "with", "yield", "print", "input", "range", "len", "int", "str", "float", "list", "dict", "set",
    };

    public static readonly IReadOnlySet<string> Shell = new HashSet<string>(StringComparer.Ordinal)
    {
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in", "function", "select",
        "return", "local", "export", "read", "echo", "printf", "test", "exit", "shift", "set", "let", "declare",
    };

    static readonly string[] Operators =
    [
        ">>>=", "<<=", ">>=", "===", "!==", "...", "**=", "//=", "->*", "<=>",
        "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "->", "<<", ">>", "::",
        "=>", "**", "//", "?.", "??", ":=",
    ];

    /// <summary>The longest operator at <paramref name="i"/>, or the single character there.</summary>
    public static string Operator(string text, int i)
    {
        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(text, i, op, 0, op.Length) == 0)
            {
                return op;
            }
        }
        return text[i].ToString();
    }
}
