namespace Classcloud.Web.Assignments.Similarity;

/// <summary>A source file of a submission (or of the starter files) and the family it is read as.</summary>
public sealed record SourceFile(string Path, string Text, CodeFamily Family);

/// <summary>One submission's code.</summary>
public sealed record SimilarityInput(long Id, IReadOnlyList<SourceFile> Files);

/// <summary>Lines <see cref="From"/>–<see cref="To"/> (1-based, inclusive) of one file.</summary>
public sealed record LineRange(string Path, int From, int To);

/// <summary>
/// Two submissions that share code: <see cref="Shared"/> fingerprints, the part of each side's fingerprints that
/// is shared (0–1), their mean as the score, and the lines on each side that the other also has.
/// </summary>
public sealed record SimilarityMatch(int Left, int Right, int Shared, double LeftShare, double RightShare, double Score,
    IReadOnlyList<LineRange> LeftRanges, IReadOnlyList<LineRange> RightRanges);

/// <summary>
/// The similarity report's computation, free of the database so the benchmark and the tests run it directly.
/// Fingerprints are winnowed k-grams of normalized tokens (<see cref="Winnowing"/>); every k-gram of the starter
/// files is removed first (code the students were given is not copying), and a fingerprint found in more than
/// <see cref="CommonAbove"/> submissions counts as the task's own boilerplate (MOSS's <c>-m</c>). Pairs are scored
/// from the fingerprints; the marked lines come from every k-gram the two share, so a marked block has no holes.
/// </summary>
public static class SimilarityEngine
{
    /// <summary>A fingerprint in more submissions than this is common to the task and ignored.</summary>
    public static int CommonAbove(int submissions) => Math.Max(10, submissions / 10);

    public static IReadOnlyList<SimilarityMatch> Compare(IReadOnlyList<SimilarityInput> inputs, IReadOnlyList<SourceFile> starter, int limit)
    {
        var excluded = StarterGrams(starter);
        var docs = inputs.Select(input => Read(input, excluded)).ToList();
        var index = new Dictionary<ulong, List<int>>();
        for (var d = 0; d < docs.Count; d++)
        {
            foreach (var hash in docs[d].Selected)
            {
                if (!index.TryGetValue(hash, out var list))
                {
                    index[hash] = list = [];
                }
                list.Add(d);
            }
        }
        var common = CommonAbove(docs.Count);
        var counts = new Dictionary<(int, int), int>();
        foreach (var holders in index.Values)
        {
            if (holders.Count < 2 || holders.Count > common)
            {
                continue;
            }
            for (var x = 0; x < holders.Count; x++)
            {
                for (var y = x + 1; y < holders.Count; y++)
                {
                    var key = (holders[x], holders[y]);
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }
            }
        }
        return counts
            .Select(c => (c.Key.Item1, c.Key.Item2, Shared: c.Value, L: Share(c.Value, docs[c.Key.Item1]), R: Share(c.Value, docs[c.Key.Item2])))
            .Select(c => (c.Item1, c.Item2, c.Shared, c.L, c.R, Score: (c.L + c.R) / 2))
            .OrderByDescending(c => c.Score).ThenByDescending(c => c.Shared).ThenBy(c => c.Item1).ThenBy(c => c.Item2)
            .Take(limit)
            .Select(c => new SimilarityMatch(c.Item1, c.Item2, c.Shared, c.L, c.R, c.Score, Ranges(docs[c.Item1], docs[c.Item2]), Ranges(docs[c.Item2], docs[c.Item1])))
            .ToList();
    }

    /// <summary>The lines of two submissions that the other also has (outside the starter files): the side-by-side view of one pair.</summary>
    public static (IReadOnlyList<LineRange> Left, IReadOnlyList<LineRange> Right) Marks(SimilarityInput left, SimilarityInput right, IReadOnlyList<SourceFile> starter)
    {
        var excluded = StarterGrams(starter);
        var (a, b) = (Read(left, excluded), Read(right, excluded));
        return (Ranges(a, b), Ranges(b, a));
    }

    static double Share(int shared, Doc doc) => doc.Selected.Count == 0 ? 0 : (double)shared / doc.Selected.Count;

    sealed record Doc(IReadOnlyList<string> Paths, List<Fingerprint> Grams, HashSet<ulong> GramSet, HashSet<ulong> Selected);

    static HashSet<ulong> StarterGrams(IReadOnlyList<SourceFile> starter) =>
        starter.SelectMany(f => Winnowing.KGrams(CodeTokenizer.Tokenize(f.Text, f.Family), 0)).Select(g => g.Hash).ToHashSet();

    static Doc Read(SimilarityInput input, HashSet<ulong> excluded)
    {
        var grams = new List<Fingerprint>();
        var selected = new HashSet<ulong>();
        for (var f = 0; f < input.Files.Count; f++)
        {
            var fileGrams = Winnowing.KGrams(CodeTokenizer.Tokenize(input.Files[f].Text, input.Files[f].Family), f);
            grams.AddRange(fileGrams.Where(g => !excluded.Contains(g.Hash)));
            selected.UnionWith(Winnowing.Select(fileGrams).Select(g => g.Hash).Where(h => !excluded.Contains(h)));
        }
        return new Doc(input.Files.Select(f => f.Path).ToList(), grams, grams.Select(g => g.Hash).ToHashSet(), selected);
    }

    /// <summary>The k-grams of <paramref name="side"/> that <paramref name="other"/> also has, merged into line ranges per file.</summary>
    static List<LineRange> Ranges(Doc side, Doc other)
    {
        var ranges = new List<LineRange>();
        foreach (var file in side.Grams.Where(g => other.GramSet.Contains(g.Hash)).GroupBy(g => g.File).OrderBy(g => g.Key))
        {
            var (from, to) = (-1, -1);
            foreach (var g in file.OrderBy(g => g.FromLine))
            {
                if (from >= 0 && g.FromLine <= to + 1)
                {
                    to = Math.Max(to, g.ToLine);
                    continue;
                }
                if (from >= 0)
                {
                    ranges.Add(new LineRange(side.Paths[file.Key], from, to));
                }
                (from, to) = (g.FromLine, g.ToLine);
            }
            ranges.Add(new LineRange(side.Paths[file.Key], from, to));
        }
        return ranges;
    }
}
