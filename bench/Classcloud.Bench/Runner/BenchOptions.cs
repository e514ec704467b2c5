using System.Globalization;

namespace Classcloud.Bench.Runner;

/// <summary>Command line of the runner: `[benchmark] [--duration S] [--clients N] [--rounds R] ...`.</summary>
internal sealed record BenchOptions
{
    public string Benchmark { get; init; } = "accounts";
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public int Clients { get; init; } = 50;
    public int Rounds { get; init; } = 3;
    public IReadOnlyList<string> Providers { get; init; } = ["sqlite", "postgres"];
    /// <summary>The host to start: a built or published Classcloud.Web.dll.</summary>
    public string? HostDll { get; init; }
    public string? OutputDirectory { get; init; }
    /// <summary>Timed operations per latency series; null: the benchmark's own default (platform 50, workspaces 30).</summary>
    public int? Samples { get; init; }
    /// <summary>Workloads started at once in the burst (platform benchmark).</summary>
    public int Burst { get; init; } = 100;
    /// <summary>Idle workloads per image in the density measurement (platform benchmark; 0 skips it).</summary>
    public int Density { get; init; } = 100;
    /// <summary>Idle desktops in the workspaces density measurement; null: as many as <see cref="Density"/>.</summary>
    public int? DensityDesktops { get; init; }
    /// <summary>Keystrokes timed per path in the workspaces echo measurement.</summary>
    public int Keystrokes { get; init; } = 200;
    /// <summary>Students who start a terminal within the same 10 s in the workspaces `class` part.</summary>
    public int ClassSize { get; init; } = 40;
    /// <summary>Idle terminals held at once in the workspaces `class` part (the class included), one student each.</summary>
    public int Held { get; init; } = 200;
    /// <summary>Submissions graded in the assignments `grading` part (half Python, half C).</summary>
    public int Submissions { get; init; } = 500;
    /// <summary>Course workspaces collected at the deadline in the assignments `collection` part.</summary>
    public int Workspaces { get; init; } = 100;
    /// <summary>Of those, how many are running at the due time (the rest stopped).</summary>
    public int Running { get; init; } = 10;
    /// <summary>Parts of a benchmark to run (workspaces: start, resume, claim, desktop, density, echo, class); empty: all.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];
    public string PostgresAdmin { get; init; } =
        Environment.GetEnvironmentVariable("CLASSCLOUD_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=classcloud_test;Password=classcloud_test;Database=postgres";

    public const string Usage = """
        usage: Classcloud.Bench [benchmark] [options]
          benchmark            accounts (default), courses, platform, workspaces, similarity or assignments
          --duration S         seconds each scenario is measured per round (default 10)
          --warmup S           seconds each scenario runs unmeasured before round 1 (default 2)
          --clients N          concurrent virtual users (default 50)
          --rounds R           rounds; every figure is the median of the rounds (default 3)
          --providers LIST     sqlite,postgres (default both)
          --host PATH          Classcloud.Web.dll to start (default: the Release build in src/)
          --out DIR            where results are written (default: bench/results)
          --postgres CONN      admin connection string (role with CREATEDB) for fresh databases
          --samples N          platform / workspaces: timed operations per series (default 50 / 30); assignments: bare grading containers (default 40)
          --burst N            platform: workloads started at once (default 100)
          --density N          platform / workspaces: idle workloads per image for memory density (default 100, 0 skips)
          --density-desktops N workspaces: idle desktops for density (default: --density)
          --keystrokes N       workspaces: keystrokes timed per path in the echo measurement (default 200)
          --class N            workspaces: students starting a terminal within the same 10 s (default 40)
          --held N             workspaces: idle terminals held at once, one student each (default 200)
          --only LIST          workspaces: start,resume,claim,desktop,density,echo,class; assignments: grading,collection (default all)
          --submissions N      assignments: submissions graded, half Python, half C (default 500)
          --workspaces N       assignments: course workspaces collected at the deadline (default 100)
          --running N          assignments: of those, running at the due time (default 10)
        """;

    /// <summary>Parses the arguments; returns null and an error line when they are wrong.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var o = new BenchOptions();
        var named = false;
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') && !named)
            {
                o = o with { Benchmark = arg };
                named = true;
                continue;
            }
            string Next() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{arg} needs a value.");
            try
            {
                o = arg switch
                {
                    "--duration" => o with { Duration = Seconds(Next(), 1, 600) },
                    "--warmup" => o with { Warmup = Seconds(Next(), 0, 60) },
                    "--clients" => o with { Clients = Number(Next(), 1, 1000) },
                    "--rounds" => o with { Rounds = Number(Next(), 1, 15) },
                    "--providers" => o with { Providers = ParseProviders(Next()) },
                    "--host" => o with { HostDll = Path.GetFullPath(Next()) },
                    "--out" => o with { OutputDirectory = Path.GetFullPath(Next()) },
                    "--postgres" => o with { PostgresAdmin = Next() },
                    "--samples" => o with { Samples = Number(Next(), 1, 1000) },
                    "--burst" => o with { Burst = Number(Next(), 1, 500) },
                    "--density" => o with { Density = Number(Next(), 0, 500) },
                    "--density-desktops" => o with { DensityDesktops = Number(Next(), 0, 500) },
                    "--keystrokes" => o with { Keystrokes = Number(Next(), 1, 10000) },
                    "--class" => o with { ClassSize = Number(Next(), 1, 500) },
                    "--held" => o with { Held = Number(Next(), 1, 500) },
                    "--submissions" => o with { Submissions = Number(Next(), 2, 5000) },
                    "--workspaces" => o with { Workspaces = Number(Next(), 1, 500) },
                    "--running" => o with { Running = Number(Next(), 0, 500) },
                    "--only" => o with { Only = List(Next()) },
                    _ => throw new FormatException($"unknown argument '{arg}'."),
                };
            }
            catch (FormatException ex)
            {
                error = ex.Message;
                return null;
            }
        }
        return o;
    }

    static TimeSpan Seconds(string value, int min, int max) => TimeSpan.FromSeconds(Number(value, min, max));

    static int Number(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n : throw new FormatException($"'{value}' is not a whole number from {min} to {max}.");

    static string[] List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => p.ToLowerInvariant()).Distinct().ToArray();

    static string[] ParseProviders(string value)
    {
        var list = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).Distinct().ToArray();
        return list.Length > 0 && list.All(p => p is "sqlite" or "postgres")
            ? list : throw new FormatException($"providers are sqlite and/or postgres (got '{value}').");
    }
}
