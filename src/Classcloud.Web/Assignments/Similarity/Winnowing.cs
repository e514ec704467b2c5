namespace Classcloud.Web.Assignments.Similarity;

/// <summary>A selected k-gram: its hash and the lines (1-based, inclusive) its tokens span in one file.</summary>
public readonly record struct Fingerprint(ulong Hash, int File, int FromLine, int ToLine);

/// <summary>
/// Winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003, the algorithm behind MOSS): hash every k-gram of
/// normalized tokens, slide a window of <c>w</c> hashes and keep each window's minimum (the rightmost on a tie),
/// once per position. Any run of at least <c>w + k - 1</c> tokens two texts share yields a shared fingerprint,
/// and nothing shorter than <c>k</c> tokens can match by itself.
/// </summary>
public static class Winnowing
{
    /// <summary>Tokens per k-gram: shorter shared runs are noise (a for-loop header, a print call).</summary>
    public const int K = 12;

    /// <summary>Window: every shared run of W + K - 1 = 19 tokens is found.</summary>
    public const int W = 8;

    /// <summary>The hash of every k-gram (with its lines), in order; the starter files' code is excluded by all of these, not only the selected ones.</summary>
    public static List<Fingerprint> KGrams(IReadOnlyList<CodeToken> tokens, int file, int k = K)
    {
        var grams = new List<Fingerprint>(Math.Max(0, tokens.Count - k + 1));
        if (tokens.Count < k)
        {
            return grams;
        }
        var hashes = new ulong[tokens.Count];
        for (var t = 0; t < tokens.Count; t++)
        {
            hashes[t] = Fnv(tokens[t].Text);
        }
        for (var start = 0; start + k <= tokens.Count; start++)
        {
            // Order matters inside a k-gram: combine left to right, mixing each token's hash in whole.
            var h = 1469598103934665603UL;
            for (var t = start; t < start + k; t++)
            {
                h = (h ^ hashes[t]) * 1099511628211UL;
                h ^= h >> 29;
            }
            grams.Add(new Fingerprint(h, file, tokens[start].Line, tokens[start + k - 1].Line));
        }
        return grams;
    }

    /// <summary>The winnowed fingerprints of a file's k-grams.</summary>
    public static List<Fingerprint> Select(IReadOnlyList<Fingerprint> grams, int w = W)
    {
        var selected = new List<Fingerprint>();
        if (grams.Count == 0)
        {
            return selected;
        }
        if (grams.Count <= w)
        {
            selected.Add(grams[MinIndex(grams, 0, grams.Count)]);
            return selected;
        }
        var last = -1;
        for (var start = 0; start + w <= grams.Count; start++)
        {
            var min = MinIndex(grams, start, w);
            if (min != last)
            {
                selected.Add(grams[min]);
                last = min;
            }
        }
        return selected;
    }

    /// <summary>FNV-1a: stable across processes (string.GetHashCode is not), and tokens are short.</summary>
    static ulong Fnv(string text)
    {
        var h = 1469598103934665603UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        return h;
    }

    static int MinIndex(IReadOnlyList<Fingerprint> grams, int start, int count)
    {
        var min = start;
        for (var j = start + 1; j < start + count; j++)
        {
            if (grams[j].Hash <= grams[min].Hash)
            {
                min = j;
            }
        }
        return min;
    }
}
