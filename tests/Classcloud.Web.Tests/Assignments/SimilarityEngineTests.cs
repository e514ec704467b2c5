using Classcloud.Web.Assignments.Similarity;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>The similarity report's tokenizers and winnowing, without a host: what must match and what must not.</summary>
public sealed class SimilarityEngineTests
{
    const string Python = """
        # Sum the numbers of each line and print the totals.
        import sys

        def total(line):
            parts = line.split()
            acc = 0
            for p in parts:
                acc += int(p)
            return acc

        def main():
            results = []
            for line in sys.stdin:
                if line.strip() == "":
                    continue
                results.append(total(line))
            best = max(results) if results else 0
            print("best:", best)
            for r in results:
                print(r)

        main()
        """;

    /// <summary>The same program with every name changed, other comments, other spacing and other string texts.</summary>
    const string PythonDisguised = """
        import sys
        '''A solution written all by myself.'''

        def s(l):
            xs   =   l.split()   # split the line
            a = 0
            for x in xs:
                a += int(x)
            return a


        def run( ):
            out = [ ]
            for l in sys.stdin:
                if l.strip() == '':
                    continue   # skip blank lines
                out.append(s(l))
            m = max(out) if out else 0
            print('maximum =', m)
            for v in out:
                print(v)

        run()
        """;

    const string PythonUnrelated = """
        import math

        class Circle:
            def __init__(self, radius):
                self.radius = radius

            def area(self):
                return math.pi * self.radius ** 2

        shapes = [Circle(float(r)) for r in input().split(",")]
        shapes.sort(key=lambda c: c.area(), reverse=True)
        while shapes:
            c = shapes.pop()
            try:
                print(f"{c.radius:.2f} {c.area():.3f}")
            except ValueError as e:
                raise SystemExit(str(e))
        """;

    const string C = """
        #include <stdio.h>
        /* Reads n numbers and prints the largest. */
        int main(void) {
            int n, i, best = -1000000;
            if (scanf("%d", &n) != 1) return 1;
            for (i = 0; i < n; i++) {
                int x;
                scanf("%d", &x);
                if (x > best) best = x; // keep the largest
            }
            printf("%d\n", best);
            return 0;
        }
        """;

    const string CDisguised = """
        #include <stdio.h>
        int main(void)
        {
            int count, k, top = -99;
            if (scanf("%d", &count) != 1)
                return 1;
            for (k = 0; k < count; k++)
            {
                int value; scanf("%d", &value);
                if (value > top) top = value;
            }
            printf("%d\n", top); return 0;
        }
        """;

    static SimilarityInput Doc(long id, string text, CodeFamily family, string path = "main.py") => new(id, [new SourceFile(path, text, family)]);

    [Fact]
    public void Tokens_drop_comments_and_whitespace_and_map_names_and_literals_to_classes()
    {
        var c = CodeTokenizer.Tokenize("int total = 42; // the answer\n/* x */ total += \"s\";", CodeFamily.CLike).Select(t => t.Text);
        Assert.Equal(["int", "I", "=", "L", ";", "I", "+=", "L", ";"], c);
        var py = CodeTokenizer.Tokenize("def f(x):  # c\n    return x ** 2 + len('''a\nb''')\n", CodeFamily.Python);
        Assert.Equal(["def", "I", "(", "I", ")", ":", "return", "I", "**", "L", "+", "len", "(", "L", ")"], py.Select(t => t.Text));
        Assert.Equal(2, py[^2].Line);
        var sh = CodeTokenizer.Tokenize("read -r a b # two\ntotal=$(($a + $b))\necho \"$total\"\n", CodeFamily.Shell).Select(t => t.Text);
        Assert.Equal(["read", "w:-r", "I", "I", "I", "=", "$", "(", "(", "I", "+", "I", ")", ")", "echo", "L"], sh);
    }

    [Fact]
    public void A_string_left_open_ends_at_its_line_and_line_numbers_stay_right()
    {
        var tokens = CodeTokenizer.Tokenize("x = \"open\ny = 1\n", CodeFamily.CLike);
        Assert.Equal(["I", "=", "L", "I", "=", "L"], tokens.Select(t => t.Text));
        Assert.Equal([1, 1, 1, 2, 2, 2], tokens.Select(t => t.Line));
    }

    [Fact]
    public void Winnowing_picks_window_minima_once_and_covers_every_window()
    {
        var tokens = CodeTokenizer.Tokenize(C, CodeFamily.CLike);
        var grams = Winnowing.KGrams(tokens, 0);
        Assert.Equal(tokens.Count - Winnowing.K + 1, grams.Count);
        var selected = Winnowing.Select(grams);
        Assert.InRange(selected.Count, grams.Count / Winnowing.W, grams.Count);
        for (var start = 0; start + Winnowing.W <= grams.Count; start++)
        {
            var window = grams.Skip(start).Take(Winnowing.W).ToList();
            Assert.Contains(window.Min(g => g.Hash), selected.Select(g => g.Hash));
        }
    }

    [Theory]
    [InlineData(Python, PythonDisguised, CodeFamily.Python)]
    [InlineData(C, CDisguised, CodeFamily.CLike)]
    public void Renamed_reformatted_and_recommented_code_still_matches(string original, string disguised, CodeFamily family)
    {
        var match = Assert.Single(SimilarityEngine.Compare([Doc(1, original, family), Doc(2, disguised, family)], [], 10));
        Assert.True(match.Score > 0.6, $"score {match.Score}");
        Assert.NotEmpty(match.LeftRanges);
        Assert.NotEmpty(match.RightRanges);
    }

    [Fact]
    public void Unrelated_code_does_not_match()
    {
        Assert.Empty(SimilarityEngine.Compare([Doc(1, Python, CodeFamily.Python), Doc(2, PythonUnrelated, CodeFamily.Python)], [], 10));
    }

    [Fact]
    public void The_copied_pair_ranks_first_and_its_lines_are_marked_on_both_sides()
    {
        var docs = new[] { Doc(1, PythonUnrelated, CodeFamily.Python), Doc(2, Python, CodeFamily.Python), Doc(3, C, CodeFamily.CLike, "main.c"), Doc(4, PythonDisguised, CodeFamily.Python) };
        var top = SimilarityEngine.Compare(docs, [], 10)[0];
        Assert.Equal((1, 3), (top.Left, top.Right));
        // The function bodies are marked on both sides (line 4 of the original is "def total(line):", line 4 of the copy "def s(l):").
        Assert.Contains(top.LeftRanges, r => r.Path == "main.py" && r.From <= 5 && r.To >= 8);
        Assert.Contains(top.RightRanges, r => r.Path == "main.py" && r.From <= 6 && r.To >= 9);
    }

    [Fact]
    public void Code_from_the_starter_files_does_not_count()
    {
        var starter = new SourceFile("main.py", Python, CodeFamily.Python);
        Assert.Empty(SimilarityEngine.Compare([Doc(1, Python, CodeFamily.Python), Doc(2, PythonDisguised, CodeFamily.Python)], [starter], 10));
        // Both students kept the starter code and wrote the same new code below it: only the new code counts and is marked.
        var added = "\ndef extra(values):\n    seen = {}\n    for v in values:\n        seen[v] = seen.get(v, 0) + 1\n    return sorted(seen.items(), key=lambda kv: -kv[1])\n";
        var match = Assert.Single(SimilarityEngine.Compare([Doc(1, Python + added, CodeFamily.Python), Doc(2, Python + added.Replace("seen", "counts"), CodeFamily.Python)], [starter], 10));
        var firstAdded = Python.Split('\n').Length + 1;
        Assert.All(match.LeftRanges, r => Assert.True(r.To >= firstAdded, $"{r.From}-{r.To} is starter code"));
    }

    [Fact]
    public void Code_most_submissions_share_is_the_tasks_own()
    {
        var docs = Enumerable.Range(0, 12).Select(i => Doc(i, Python, CodeFamily.Python)).ToList();
        Assert.Empty(SimilarityEngine.Compare(docs, [], 10));
        Assert.Equal(10, SimilarityEngine.CommonAbove(12));
    }
}
