using System.Formats.Tar;
using System.Globalization;
using System.Text;

namespace Classcloud.Bench.Assignments;

/// <summary>One seeded submission: its language, its file and the score the grader must give it.</summary>
internal sealed record GradingSubmission(int Number, GradingLanguage Language, string Source, bool Wrong)
{
    public double ExpectedScore => Wrong ? GradingCorpus.WrongScore : GradingCorpus.FullScore;

    /// <summary>The submission folder as a tar (what a collection stores): just the program.</summary>
    public byte[] Tar() => GradingCorpus.Tar([(Language.File, Source)]);
}

/// <summary>A language of the benchmark: its file, its run command in the sandbox, the API's language and time limit.</summary>
internal sealed record GradingLanguage(string Name, string ApiLanguage, string File, string Run, int TimeLimitMs);

/// <summary>
/// The grading benchmark's programs and tests: "add two numbers" in Python and in C, five tests each, every
/// submission a little different (its number in a comment) and one in ten wrong on sums over 100 (it fails two
/// tests), so a grader that skips or mixes up tests cannot give the expected scores.
/// </summary>
internal static class GradingCorpus
{
    public const int PointsPerTest = 2;
    public const double FullScore = 5 * PointsPerTest;
    public const double WrongScore = 3 * PointsPerTest;

    public static readonly GradingLanguage Python = new("python", "python", "main.py", "python3 main.py", 3000);

    /// <summary>C compiles in the sandbox's tmpfs on its first test and reuses the binary for the next four (tests run one after another in one sandbox).</summary>
    public static readonly GradingLanguage C = new("c", "custom", "main.c", "[ -x ./prog ] || cc -O1 -o prog main.c; ./prog", 10000);

    public static readonly IReadOnlyList<(string Stdin, string Expected)> Tests =
    [
        ("1 2\n", "3"), ("10 20\n", "30"), ("100 200\n", "300"), ("-5 5\n", "0"), ("123456 654321\n", "777777"),
    ];

    public static IReadOnlyList<GradingSubmission> Make(int count) =>
        Enumerable.Range(1, count).Select(n =>
        {
            var language = n % 2 == 1 ? Python : C;
            var wrong = n % 10 == 3;
            return new GradingSubmission(n, language, Program(language, n, wrong), wrong);
        }).ToList();

    static string Program(GradingLanguage language, int n, bool wrong)
    {
        var c = CultureInfo.InvariantCulture;
        var bug = wrong ? " + (1 if a + b > 100 else 0)" : "";
        return language == Python
            ? string.Create(c, $"# submission {n}\nimport sys\n\na, b = map(int, sys.stdin.read().split())\nprint(a + b{bug})\n")
            : string.Create(c, $"/* submission {n} */\n#include <stdio.h>\n\nint main(void)\n{{\n    long a, b;\n    if (scanf(\"%ld %ld\", &a, &b) != 2)\n        return 1;\n    printf(\"%ld\\n\", a + b{(wrong ? " + (a + b > 100)" : "")});\n    return 0;\n}}\n");
    }

    /// <summary>The tests as the API takes them (trimmed comparison, visible).</summary>
    public static IReadOnlyList<object> ApiTests(GradingLanguage language) =>
        Tests.Select((t, i) => (object)new
        {
            name = $"test {i + 1}", stdin = t.Stdin, expectedStdout = t.Expected + "\n", compare = "trimmed", points = PointsPerTest,
            timeLimitMs = language.TimeLimitMs, memoryMb = 256, visibility = "visible",
        }).ToList();

    /// <summary>
    /// The bare baseline's script: the program and the five inputs unpacked from stdin into the image's home, each test
    /// run as `sh -c &lt;run command&gt;` with its input, timed inside the container; one line per test: nanoseconds, output.
    /// </summary>
    public const string BareScript =
        "set -e; cd \"$HOME\"; tar -x; for i in 1 2 3 4 5; do s=$(date +%s%N); sh -c \"$1\" < in$i > out$i 2>/dev/null || true; " +
        "e=$(date +%s%N); printf '%s %s\\n' $((e-s)) \"$(tr -d '\\n' < out$i)\"; done";

    /// <summary>The bare container's stdin: the program and in1…in5.</summary>
    public static byte[] BareTar(GradingSubmission s) =>
        Tar([(s.Language.File, s.Source), .. Tests.Select((t, i) => ($"in{i + 1}", t.Stdin))]);

    public static byte[] Tar(IEnumerable<(string Path, string Content)> files)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    Mode = (UnixFileMode)0b110_100_100,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                });
            }
        }
        return output.ToArray();
    }
}
