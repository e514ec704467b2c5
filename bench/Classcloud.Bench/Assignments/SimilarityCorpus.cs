using System.Text;
using Classcloud.Web.Assignments.Similarity;

namespace Classcloud.Bench.Assignments;

/// <summary>
/// Submissions for the similarity benchmark: Python programs of about 200 lines made from a small random grammar
/// (functions, loops, conditions, arithmetic, calls), a shared starter file at the top of each, and planted copies:
/// every planted copy is another submission with its names changed, comments added and its spacing changed.
/// Seeded, so every run compares the same corpus.
/// </summary>
internal static class SimilarityCorpus
{
    public const string Starter = "import sys\n\ndef read_numbers():\n    return [int(x) for x in sys.stdin.read().split()]\n\n# your solution below\n";

    static readonly string[] Calls = ["len", "abs", "min", "max", "sum", "sorted", "round", "int", "str"];
    static readonly string[] Ops = ["+", "-", "*", "//", "%"];
    static readonly string[] Comparisons = ["<", ">", "<=", ">=", "==", "!="];

    /// <summary><paramref name="count"/> submissions; <paramref name="planted"/> of them (pairs from the end) copy an earlier one.</summary>
    public static (List<SimilarityInput> Inputs, List<(int Original, int Copy)> Planted) Make(int count, int planted, int lines, int seed)
    {
        var random = new Random(seed);
        var texts = new List<string>(count);
        var pairs = new List<(int, int)>();
        for (var i = 0; i < count; i++)
        {
            if (i >= count - planted)
            {
                // A distinct original each: two copies of one program would also match each other, a 21st pair.
                int original;
                do
                {
                    original = random.Next(0, count - planted);
                }
                while (pairs.Any(p => p.Item1 == original));
                pairs.Add((original, i));
                texts.Add(Disguise(texts[original], random));
            }
            else
            {
                texts.Add(Starter + Program(random, lines));
            }
        }
        var inputs = texts.Select((t, i) => new SimilarityInput(i, [new SourceFile("main.py", t, CodeFamily.Python)])).ToList();
        return (inputs, pairs);
    }

    static string Program(Random random, int lines)
    {
        var code = new StringBuilder();
        var names = Enumerable.Range(0, 12).Select(_ => Name(random)).ToArray();
        var written = 0;
        while (written < lines)
        {
            var fn = Name(random);
            code.Append("def ").Append(fn).Append('(').Append(names[random.Next(names.Length)]).Append("):\n");
            written++;
            var body = random.Next(6, 14);
            for (var b = 0; b < body; b++, written++)
            {
                var v = names[random.Next(names.Length)];
                var indent = random.Next(3) == 0 ? "        " : "    ";
                code.Append(random.Next(6) switch
                {
                    0 => $"    for {v} in range({random.Next(2, 50)}):\n",
                    1 => $"    if {Expression(random, names)} {Comparisons[random.Next(Comparisons.Length)]} {random.Next(100)}:\n",
                    2 => $"{indent}print({Expression(random, names)})\n",
                    3 => $"{indent}{v} = {Calls[random.Next(Calls.Length)]}([{Expression(random, names)}, {random.Next(9)}])\n",
                    4 => $"    while {v} > {random.Next(10)}:\n",
                    _ => $"{indent}{v} = {Expression(random, names)}\n",
                });
                if (code[^2] == ':')
                {
                    code.Append("        ").Append(names[random.Next(names.Length)]).Append(" = ").Append(Expression(random, names)).Append('\n');
                    written++;
                }
            }
            code.Append("    return ").Append(Expression(random, names)).Append("\n\n");
            written += 2;
        }
        return code.ToString();
    }

    static string Expression(Random random, string[] names)
    {
        var terms = random.Next(1, 4);
        var text = new StringBuilder(names[random.Next(names.Length)]);
        for (var t = 0; t < terms; t++)
        {
            text.Append(' ').Append(Ops[random.Next(Ops.Length)]).Append(' ').Append(random.Next(2) == 0 ? names[random.Next(names.Length)] : random.Next(1, 100).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    static string Name(Random random) => string.Concat(Enumerable.Range(0, random.Next(3, 9)).Select(_ => (char)('a' + random.Next(26))));

    /// <summary>A copy as a student hides it: every name changed, a comment every few lines, extra spaces and blank lines.</summary>
    static string Disguise(string text, Random random)
    {
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        var output = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var changed = System.Text.RegularExpressions.Regex.Replace(line, "\\b[a-z]{3,8}\\b", m =>
                m.Value is "def" or "for" or "range" or "print" or "return" or "while" or "import" or "read" or "split" or "stdin" or "sys" or "int" or "str" or "len" ? m.Value
                : renames.TryGetValue(m.Value, out var r) ? r : renames[m.Value] = "v" + Name(random));
            output.Append(changed.Replace(" = ", "  =  ", StringComparison.Ordinal));
            output.Append(random.Next(4) == 0 ? "   # " + Name(random) + "\n" : "\n");
            if (random.Next(10) == 0)
            {
                output.Append('\n');
            }
        }
        return output.ToString();
    }
}
