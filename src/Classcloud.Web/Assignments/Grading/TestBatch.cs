using System.Formats.Tar;
using System.Globalization;
using System.Text;

namespace Classcloud.Web.Assignments.Grading;

/// <summary>One test's run: its exit code, capped output, wall time and whether a watchdog had to step in.</summary>
/// <param name="Held">The output stayed open after the program ended (something escaped its process group) and a
/// watchdog killed it: reported as stopped at the time limit with no output, as the per-test path always did.</param>
public sealed record TestRun(int ExitCode, string Stdout, string Stderr, bool Truncated, int ElapsedMs, bool Held);

/// <summary>
/// All of a submission's tests in one exec (issue 13's grading goal: a Docker exec costs ~100 ms, a test should cost
/// ≤ 30 ms more than its program). The exec's stdin is one tar stream: the runner's files (each test's input, its
/// time limit, the output pipes) under <see cref="Root"/>, then the submission for <c>/work</c>. A bash runner runs
/// each test as the per-test path does — <c>timeout -s KILL</c> around <c>sh -c &lt;run command&gt;</c>, the
/// process group killed when the program ends — keeps the first 64 KiB + 1 byte of each stream (the rest is read and
/// dropped, so a flood runs on as it did) and its exit code and wall time, kills whatever escaped the group before
/// the next test starts, and ends by becoming <c>tar -c</c> of the results (an exec: no process to fork, so even
/// a fork bomb's leftovers cannot stop the report).
/// </summary>
public static class TestBatch
{
    /// <summary>The runner's tmpfs in the sandbox (never inside <c>/work</c>: the program sees only its own files there).</summary>
    public const string Root = "/grading";

    /// <summary>The runner's own exit codes: the submission did not unpack; no bash 5 in the image (the per-test path then runs).</summary>
    public const int UnpackFailed = 96, NoBash = 97;

    /// <summary>Unpacks (the runner's files carry absolute names: <c>-P</c>; <c>-i</c> reads past the first archive's end), then hands over to bash.</summary>
    const string Prologue = "tar -x -i -P --no-same-owner -C /work || exit 96; command -v bash >/dev/null 2>&1 || exit 97; exec bash -c \"$1\" bash \"$2\"";

    /// <summary>
    /// $1 is the run command. Per test: two readers on the output pipes (started first: opening a pipe waits for its
    /// other end), the timed program, the group kill, then whatever escaped the group (<c>setsid</c>, another process
    /// group) is killed — every process outside the runner's own group but init, found in /proc — so the readers
    /// see the end of the output at once; should they still not end within 10 s of wall time (a process that joined the
    /// runner's group; a count of polls was too short on a machine at load 20), they are killed and the test reported as held. <c>read -t</c> on a pipe nobody writes is a sleep
    /// without a process, and <c>$EPOCHREALTIME</c> (bash 5) a clock without one. A reader counts as ended once it
    /// is a zombie: bash may reap it only later, and <c>kill -0</c> succeeds on a zombie (1 test in 2,500 was held so).
    /// </summary>
    const string Runner = """
        [[ -n ${EPOCHREALTIME:-} ]] || exit 97
        g=/grading
        exec 9<>"$g/z"
        read -r me <"/proc/$$/stat"; me=(${me##*) }); me=${me[2]}
        others() {
          local p s
          for p in /proc/[0-9]*; do
            p=${p#/proc/}
            [[ $p == 1 || $p == $$ ]] && continue
            read -r s 2>/dev/null <"/proc/$p/stat" || continue
            s=(${s##*) })
            [[ ${s[2]} == "$me" ]] || kill -KILL "$p" 2>/dev/null
          done
        }
        alive() { local s; read -r s 2>/dev/null <"/proc/$1/stat" || return 1; s=(${s##*) }); [[ ${s[0]} != Z ]]; }
        while read -r i s; do
          { head -c 65537 >"$g/out/$i.o"; exec cat >/dev/null; } <"$g/o" 9<&- &
          ro=$!
          { head -c 65537 >"$g/out/$i.e"; exec cat >/dev/null; } <"$g/e" 9<&- &
          re=$!
          t0=${EPOCHREALTIME/[.,]/}
          timeout -s KILL "$s" sh -c "$1" <"$g/in/$i" >"$g/o" 2>"$g/e" 9<&- &
          t=$!
          wait "$t"
          c=$?
          t1=${EPOCHREALTIME/[.,]/}
          kill -KILL -"$t" 2>/dev/null
          others
          h=0
          while alive "$ro" || alive "$re"; do
            if (( ${EPOCHREALTIME/[.,]/} - t1 > 10000000 )); then kill -KILL "$ro" "$re" 2>/dev/null; h=1; t1=${EPOCHREALTIME/[.,]/}; break; fi
            read -r -t 0.002 -u 9 _
          done
          wait "$ro" "$re"
          kill -KILL -1 2>/dev/null
          echo "$c $(( (t1 - t0) / 1000 )) $h" >"$g/out/$i.m"
        done <"$g/tests"
        exec tar -c -C "$g" out
        """;

    /// <summary>Kept per stream: the cap and one byte more, which tells a cut output from one exactly at the cap.</summary>
    const int Kept = AssignmentLimits.Output + 1;

    public static IReadOnlyList<string> Command(string runCommand) => ["sh", "-c", Prologue, "sh", Runner.ReplaceLineEndings("\n"), runCommand];

    /// <summary>The most the results can take (every stream at its cap, tar headers): more means they are not the runner's.</summary>
    public static int MaxResultBytes(int tests) => tests * (2 * Kept + 4 * 1024) + 64 * 1024;

    /// <summary>How long the whole exec may take: every limit, each test's reader grace and the unpack.</summary>
    public static TimeSpan Watchdog(IEnumerable<int> timeLimitsMs) =>
        TimeSpan.FromMilliseconds(timeLimitsMs.Sum(ms => ms + 12_000L) + 15_000);

    /// <summary>The exec's stdin: the runner's files, then the submission's own tar unchanged.</summary>
    public static byte[] Input(IReadOnlyList<(string Stdin, int TimeLimitMs)> tests, byte[] submissionTar)
    {
        using var stream = new MemoryStream();
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            const UnixFileMode rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, $"{Root}/out/") { Mode = rw | UnixFileMode.UserExecute });
            foreach (var fifo in new[] { "o", "e", "z" })
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, $"{Root}/{fifo}") { Mode = rw });
            }
            var manifest = new StringBuilder();
            foreach (var ((stdin, limitMs), i) in tests.Select((t, i) => (t, i + 1)))
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"{Root}/in/{i}") { Mode = rw, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(stdin)) });
                manifest.Append(CultureInfo.InvariantCulture, $"{i} {Seconds(limitMs)}\n");
            }
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"{Root}/tests") { Mode = rw, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest.ToString())) });
        }
        stream.Write(submissionTar);
        return stream.ToArray();
    }

    /// <summary><c>timeout</c>'s duration: seconds with up to three decimals.</summary>
    public static string Seconds(int ms) => (ms / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// Each test's run from the runner's tar, by position; null where a test has no complete record (the runner was
    /// stopped or could not start it): the caller runs those on the per-test path.
    /// </summary>
    public static TestRun?[] Parse(ReadOnlyMemory<byte> output, int count)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var reader = new TarReader(new MemoryStream(output.ToArray()));
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.Length <= Kept)
                {
                    using var copy = new MemoryStream();
                    entry.DataStream?.CopyTo(copy); // none for an empty file
                    if (copy.Length != entry.Length)
                    {
                        break; // the stream ends inside this file
                    }
                    files[entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name] = copy.ToArray();
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or OverflowException)
        {
            // A cut stream: what was read so far still counts.
        }
        var runs = new TestRun?[count];
        for (var i = 1; i <= count; i++)
        {
            if (files.TryGetValue($"out/{i}.m", out var meta) && files.TryGetValue($"out/{i}.o", out var stdout) && files.TryGetValue($"out/{i}.e", out var stderr)
                && Encoding.ASCII.GetString(meta).Split(' ', StringSplitOptions.TrimEntries) is [var c, var ms, var held]
                && int.TryParse(c, CultureInfo.InvariantCulture, out var code) && int.TryParse(ms, CultureInfo.InvariantCulture, out var elapsed))
            {
                var truncated = stdout.Length > AssignmentLimits.Output || stderr.Length > AssignmentLimits.Output;
                // Held: what the killed readers kept is partial (head buffers its writes), so none of it is reported.
                runs[i - 1] = held == "1" ? new TestRun(137, "", "", false, elapsed, Held: true)
                    : new TestRun(code, Text(stdout), Text(stderr), truncated, elapsed, Held: false);
            }
        }
        return runs;
    }

    static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, AssignmentLimits.Output));
}
