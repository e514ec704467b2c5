using System.Globalization;
using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Workspaces;

namespace Classcloud.Bench.Workspaces;

/// <summary>
/// Memory per running idle workspace, engine overhead included: N terminal and N desktop workspaces
/// started through the API, next to N bare `docker run -d` of the same images. Per container: the
/// memory charged to its cgroup (as `docker stats` shows it) plus its containerd shim's resident
/// memory (<see cref="HostFacts"/>); and the machine's MemAvailable drop per container.
/// </summary>
internal static class WorkspaceDensity
{
    const double MiB = 1024 * 1024;
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);
    static readonly Dictionary<string, double> Goals = new() { ["terminal"] = 25, ["desktop"] = 80 };

    public sealed record Outcome(IReadOnlyList<Figure> Figures, IReadOnlyList<string> Notes);

    /// <summary>Medians per container, and the MemAvailable drop divided by how many ran.</summary>
    sealed record Measure(int Running, int Failed, int Measured, double CgroupMiB, double ShimRssMiB, double ShimPssMiB, double TotalMiB, double HostMiB);

    public static async Task<Outcome> RunAsync(WorkspacesRun r, WorkspaceHost host, CancellationToken ct)
    {
        var figures = new List<Figure>();
        var notes = new List<string>();
        foreach (var (kind, image, n) in new[] { ("terminal", r.TerminalImage, r.Options.Density), ("desktop", r.DesktopImage, r.Options.DensityDesktops ?? r.Options.Density) })
        {
            if (n == 0)
            {
                continue;
            }
            var ws = await WorkspacesAsync(host, kind, n, ct);
            var bare = await BareAsync(r, image, kind, n, ct);
            var baseline = $"bare docker run ×{bare.Running}";
            figures.Add(new Figure("density", $"{kind}-cgroup+shim-mib", ws.TotalMiB, "MiB", bare.TotalMiB, baseline,
                $"Median per running idle `{kind}` workspace: its container's cgroup memory + its containerd shim's RSS (engine overhead included)"));
            figures.Add(new Figure("density", $"{kind}-cgroup-mib", ws.CgroupMiB, "MiB", bare.CgroupMiB, baseline, $"Median memory charged to each `{kind}` container's own cgroup (`docker stats`)"));
            figures.Add(new Figure("density", $"{kind}-shim-rss-mib", ws.ShimRssMiB, "MiB", bare.ShimRssMiB, baseline, "Median RSS of each container's containerd-shim-runc-v2 (shared pages counted in full)"));
            figures.Add(new Figure("density", $"{kind}-shim-pss-mib", ws.ShimPssMiB, "MiB", bare.ShimPssMiB, baseline, "Median PSS of each shim (shared pages divided among the shims)"));
            figures.Add(new Figure("density", $"{kind}-memavailable-mib", ws.HostMiB, "MiB", bare.HostMiB, baseline, "The machine's MemAvailable drop per container (page cache, engine and other processes included: noisy on a shared machine)"));
            var goal = Goals[kind];
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Goal (issue 5) for `{kind}`: ≤ {goal} MiB per running idle workspace, engine included — {n} started through the API ({ws.Failed} failed), {ws.Running} running when measured, {ws.Measured} measured: " +
                $"cgroup + shim RSS {ws.TotalMiB:0.0} MiB ({(ws.Measured == 0 ? "not measured" : ws.TotalMiB <= goal ? "met" : "not met")}), cgroup + shim PSS {ws.CgroupMiB + ws.ShimPssMiB:0.0} MiB; " +
                $"bare `docker run -d` ×{bare.Running}: {bare.TotalMiB:0.0} MiB."));
        }
        return new Outcome(figures, notes);
    }

    static async Task<Measure> WorkspacesAsync(WorkspaceHost host, string kind, int n, CancellationToken ct)
    {
        ScenarioRounds.Progress($"density: {n} {kind} workspaces through the API");
        var before = HostFacts.MemoryAvailableBytes();
        var ids = new List<long>();
        var failed = 0;
        // A few at a time, as people would click; the host's worker runs three jobs at once anyway.
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (_, c) =>
        {
            try
            {
                var id = await host.CreateReadyAsync(kind, c);
                await host.StartRunningAsync(id, c);
                lock (ids)
                {
                    ids.Add(id);
                }
            }
            catch (Exception ex) when (WorkspacesRun.IsFailure(ex, c))
            {
                Interlocked.Increment(ref failed);
                Console.Error.WriteLine($"bench: a {kind} workspace did not start: {ex.Message}");
            }
        });
        await Task.Delay(Settle, ct);
        var after = HostFacts.MemoryAvailableBytes();
        var listed = await DockerCli.RunAsync(["ps", "--no-trunc", "--filter", $"label={ControllerLabels.Scope}={host.Scope}",
            "--format", $"{{{{.ID}}}} {{{{.Label \"{WorkspaceEngine.WorkspaceLabel}\"}}}}"], ct);
        var wanted = ids.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToHashSet();
        var containers = listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).Where(p => p.Length == 2 && wanted.Contains(p[1])).Select(p => p[0]).ToList();
        var measure = Of(containers, before, after, failed);
        // Stopped again so the next measurement has the memory back; deleted with the others at the end.
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 6, CancellationToken = ct }, async (id, c) => await host.ActAsync(id, "stop", c));
        return measure;
    }

    static async Task<Measure> BareAsync(WorkspacesRun r, string image, string kind, int n, CancellationToken ct)
    {
        ScenarioRounds.Progress($"density: {n} bare {kind} containers (docker run -d)");
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var before = HostFacts.MemoryAvailableBytes();
        var containers = new List<string>();
        var failed = 0;
        foreach (var chunk in Enumerable.Range(0, n).Chunk(4))
        {
            foreach (var run in await Task.WhenAll(chunk.Select(_ => DockerCli.RunAsync(["run", "-d", .. r.BareArgs(image), image], ct))))
            {
                if (run.Ok)
                {
                    containers.Add(run.Stdout);
                }
                else
                {
                    failed++;
                }
            }
        }
        await Task.Delay(Settle, ct);
        var measure = Of(containers, before, HostFacts.MemoryAvailableBytes(), failed);
        await DockerCli.RemoveLabelledAsync(r.BareLabel, ct);
        return measure;
    }

    static Measure Of(List<string> containers, long before, long after, int failed)
    {
        var shims = HostFacts.ShimPids();
        var cgroup = new List<double>();
        var rss = new List<double>();
        var pss = new List<double>();
        var total = new List<double>();
        foreach (var id in containers)
        {
            var own = HostFacts.ContainerMemoryBytes(id);
            var shim = shims.TryGetValue(id, out var pid) ? HostFacts.ProcessMemoryBytes(pid) : null;
            if (own is null || shim is null)
            {
                continue;
            }
            cgroup.Add(own.Value / MiB);
            rss.Add(shim.Value.Rss / MiB);
            pss.Add(shim.Value.Pss / MiB);
            total.Add((own.Value + shim.Value.Rss) / MiB);
        }
        return new Measure(containers.Count, failed, total.Count, LatencySeries.Percentile(cgroup, 0.5), LatencySeries.Percentile(rss, 0.5),
            LatencySeries.Percentile(pss, 0.5), LatencySeries.Percentile(total, 0.5), (before - after) / MiB / Math.Max(containers.Count, 1));
    }
}
