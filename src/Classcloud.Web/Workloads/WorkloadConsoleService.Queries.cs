using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workloads;

/// <summary>The console's reads: the filtered list and one workload's detail.</summary>
public sealed partial class WorkloadConsoleService
{
    public async Task<Paged<WorkloadRowDto>> SearchAsync(WorkloadQuery query, int maxPageSize, CancellationToken ct)
    {
        var (page, size) = Paging.Clamp(query.Page, query.PageSize, maxPageSize);
        var q = from w in db.Workloads.AsNoTracking()
                join u in db.Users.AsNoTracking() on w.OwnerId equals u.Id into owners
                from u in owners.DefaultIfEmpty()
                select new { Row = w, Email = u == null ? null : u.Email, NormalizedEmail = u == null ? null : u.NormalizedEmail };
        if (!string.IsNullOrWhiteSpace(query.Kind))
        {
            var kind = query.Kind.Trim().ToLowerInvariant();
            q = q.Where(x => x.Row.Kind == kind);
        }
        if (!string.IsNullOrWhiteSpace(query.Tenant))
        {
            var tenant = query.Tenant.Trim();
            q = q.Where(x => x.Row.Tenant == tenant);
        }
        if (!string.IsNullOrWhiteSpace(query.State))
        {
            var state = query.State.Trim().ToLowerInvariant();
            q = state == WorkloadStates.CrashLoop ? q.Where(x => x.Row.CrashLoop) : q.Where(x => x.Row.ObservedState == state);
        }
        if (!string.IsNullOrWhiteSpace(query.Owner))
        {
            var owner = query.Owner.Trim();
            if (long.TryParse(owner, System.Globalization.CultureInfo.InvariantCulture, out var ownerId))
            {
                q = q.Where(x => x.Row.OwnerId == ownerId);
            }
            else
            {
                var normalized = owner.ToUpperInvariant();
                q = q.Where(x => x.NormalizedEmail == normalized);
            }
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var text = query.Q.Trim();
            var upper = (text.Length > 100 ? text[..100] : text).ToUpperInvariant();
            // The image is the first property of SpecJson ({"image":"…","command":…}, WorkloadDefinition's
            // order), so the text before the first '",' is the image: searched there only, not in env values.
            // CA1862: EF Core translates ToUpper().Contains() to SQL; the StringComparison overload does not translate.
#pragma warning disable CA1862
            q = q.Where(x => x.Row.Id.ToUpper().Contains(upper)
                || (x.NormalizedEmail != null && x.NormalizedEmail.Contains(upper))
                || (x.Row.SpecJson.StartsWith(ImagePrefix) && x.Row.SpecJson.IndexOf("\",") > ImagePrefix.Length
                    ? x.Row.SpecJson.Substring(ImagePrefix.Length, x.Row.SpecJson.IndexOf("\",") - ImagePrefix.Length)
                    : "").ToUpper().Contains(upper));
#pragma warning restore CA1862
        }
        var total = await q.CountAsync(ct);
        var rows = await q.OrderBy(x => x.Row.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        var statuses = await StatusesAsync(rows.Select(r => r.Row.Id).ToList(), ct);
        var now = time.GetUtcNow();
        var usage = Usage;
        var items = rows.Select(x =>
        {
            var spec = SpecSummary.Of(x.Row);
            var status = statuses?.GetValueOrDefault(x.Row.Id);
            var started = status?.Instances.Where(i => i.State is InstanceState.Running or InstanceState.Paused).Select(i => i.StartedAt).Min();
            return new WorkloadRowDto(x.Row.Id, x.Row.Kind, x.Row.OwnerId, x.Email, x.Row.Tenant, spec.Image, spec.Replicas,
                x.Row.DesiredState, x.Row.ObservedState, x.Row.CrashLoop, x.Row.RestartCount,
                statuses is null ? null : status?.Running ?? 0, started, InstanceDto.Uptime(started, now), UsageDto.From(usage?.Get(x.Row.Id)));
        }).ToList();
        return new Paged<WorkloadRowDto>(items, page, size, total);
    }

    const string ImagePrefix = "{\"image\":\"";

    /// <summary>The engine's view of the listed workloads, asked a few at a time; null when the engine cannot be asked.</summary>
    async Task<Dictionary<string, WorkloadStatus?>?> StatusesAsync(List<string> ids, CancellationToken ct)
    {
        if (!platform.Features.Enabled || ids.Count == 0)
        {
            return platform.Features.Enabled ? [] : null;
        }
        try
        {
            var result = new Dictionary<string, WorkloadStatus?>(StringComparer.Ordinal);
            foreach (var chunk in ids.Where(WorkloadId.IsValid).Chunk(8))
            {
                var found = await Task.WhenAll(chunk.Select(id => platform.GetAsync(new WorkloadId(id), ct)));
                for (var i = 0; i < chunk.Length; i++)
                {
                    result[chunk[i]] = found[i];
                }
            }
            return result;
        }
        catch (PlatformException)
        {
            return null;
        }
    }

    public async Task<Outcome<WorkloadDetailDto>> GetAsync(string id, CancellationToken ct)
    {
        var row = await db.Workloads.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id, ct);
        return row is null ? Problem.NotFound("No such workload.") : await DetailAsync(row, ct);
    }

    async Task<WorkloadDetailDto> DetailAsync(Workload row, CancellationToken ct)
    {
        var email = row.OwnerId is { } ownerId ? await db.Users.Where(u => u.Id == ownerId).Select(u => u.Email).SingleOrDefaultAsync(ct) : null;
        var spec = SpecSummary.Of(row);
        IReadOnlyList<InstanceDto>? instances = null;
        string? engineError = null;
        if (!platform.Features.Enabled)
        {
            engineError = Sentences.Format("The container platform is not enabled on this server.", []);
        }
        else
        {
            try
            {
                var now = time.GetUtcNow();
                var status = WorkloadId.IsValid(row.Id) ? await platform.GetAsync(new WorkloadId(row.Id), ct) : null;
                instances = status?.Instances.Select(i => InstanceDto.From(i, now)).ToList() ?? [];
            }
            catch (PlatformException ex)
            {
                engineError = Sentences.Format("The container engine cannot be reached: {0}", [ex.Message]);
            }
        }
        return new WorkloadDetailDto(row.Id, row.Kind, row.OwnerId, email, row.Tenant, row.DesiredState, row.ObservedState,
            spec.Image, spec.Command, spec.Resources, spec.Replicas, row.RestartCount, row.CrashLoop, row.LastError, row.NextRetryAt,
            row.CreatedAt, row.UpdatedAt, instances, engineError, UsageDto.From(Usage?.Get(row.Id)));
    }
}
