using System.Formats.Tar;
using System.Text;
using Classcloud.Web.Assignments;
using Classcloud.Web.Assignments.Grading;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>
/// The batch runner's report, read without an engine: each test's record by position, a stream past the cap marked
/// cut and kept at the cap, a held test reported as killed with no output (what it kept is partial), and a test without a complete record left to the
/// per-test path (null) — also when the stream itself is cut.
/// </summary>
public sealed class TestBatchTests
{
    [Fact]
    public void Records_are_read_by_position_and_incomplete_ones_are_left_to_the_per_test_path()
    {
        var flood = new string('x', AssignmentLimits.Output + 1);
        var output = Report(
            ("out/1.m", "0 12 0\n"), ("out/1.o", "3\n"), ("out/1.e", "warn\n"),
            ("out/2.m", "0 40 0\n"), ("out/2.o", flood), ("out/2.e", ""),
            ("out/3.m", "0 3007 1\n"), ("out/3.o", "started\n"), ("out/3.e", ""),
            ("out/4.o", "no record of the end\n"), ("out/4.e", ""));
        var runs = TestBatch.Parse(output, 5);

        Assert.Equal(new TestRun(0, "3\n", "warn\n", false, 12, false), runs[0]);
        Assert.Equal((true, AssignmentLimits.Output, 0), (runs[1]!.Truncated, runs[1]!.Stdout.Length, runs[1]!.ExitCode));
        Assert.Equal(new TestRun(137, "", "", false, 3007, true), runs[2]);
        Assert.Null(runs[3]);
        Assert.Null(runs[4]);

        var cut = TestBatch.Parse(output.AsMemory(0, output.Length / 2), 5);
        Assert.Equal(runs[0], cut[0]);
        Assert.Null(cut[4]);
    }

    [Fact]
    public void The_input_carries_each_test_and_its_limit_before_the_submission()
    {
        var input = TestBatch.Input([("1 2\n", 2000), ("", 1500)], [1, 2, 3]);
        using var reader = new TarReader(new MemoryStream(input));
        var entries = new Dictionary<string, string>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries[entry.Name] = entry.EntryType != TarEntryType.RegularFile ? entry.EntryType.ToString()
                : entry.DataStream is { } data ? new StreamReader(data).ReadToEnd() : "";
        }
        Assert.Equal("1 2\n", entries["/grading/in/1"]);
        Assert.Equal("", entries["/grading/in/2"]);
        Assert.Equal("1 2\n2 1.5\n", entries["/grading/tests"]);
        Assert.Equal("Fifo", entries["/grading/o"]);
        Assert.Equal([1, 2, 3], input[^3..]);
    }

    static byte[] Report(params (string Name, string Text)[] files)
    {
        using var stream = new MemoryStream();
        using (var tar = new TarWriter(stream, TarEntryFormat.Gnu, leaveOpen: true))
        {
            tar.WriteEntry(new GnuTarEntry(TarEntryType.Directory, "out/"));
            foreach (var (name, text) in files)
            {
                tar.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }
        return stream.ToArray();
    }
}
